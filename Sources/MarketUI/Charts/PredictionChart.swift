import Forecasting
import Foundation
import UpdraftUI

/// The predictions made in the range beside what happened (`svg.chart.predictions`, its
/// `data-predictions` the number drawn): per model version and horizon, the predicted log
/// return over the horizon (dashed, a dot per prediction) and the realised one, computed by
/// scoring from the actual closes (solid), both in percent at the time the prediction was made.
enum PredictionChart {
    static let height = 150.0

    static func render(_ html: inout HTML, _ data: MarketChartData) {
        let predictions = data.predictions
        let values = predictions.flatMap { [$0.prediction] + ($0.realised.map { [$0] } ?? []) }.map { $0 * 100 }
        let extent = max(values.map(abs).max() ?? 0.1, 1e-6) * 1.1
        let area = PlotArea(height: height, from: data.range.from, to: data.range.to, low: -extent, high: extent)
        html.open(
            "svg",
            [
                "class": "chart predictions", "viewBox": "0 0 1000 \(Int(height))", "role": "img",
                "aria-label": "\(data.symbol) predictions and realised returns", "data-predictions": String(predictions.count),
                "data-scored": String(predictions.count { $0.realised != nil }),
            ])
        area.valueAxis(&html, decimals: CandleChart.priceDecimals(extent) + 1, ticks: 4)
        area.timeAxis(&html)
        let zero = NumberText.string(area.y(0))
        html.shape(
            "line",
            ["class": "axis", "x1": NumberText.string(area.plotLeft), "x2": NumberText.string(area.plotRight), "y1": zero, "y2": zero])
        let series = Dictionary(grouping: predictions) { SeriesKey(model: $0.modelVersion, horizon: $0.horizonMinutes) }
        for (index, key) in series.keys.sorted().enumerated() {
            let rows = series[key]!
            var predicted = SVGPath(), realised = SVGPath(), dots = SVGPath()
            for p in rows {
                let x = area.x(p.time)
                predicted.point(x, area.y(p.prediction * 100))
                dots.rectangle(x - 1.2, area.y(p.prediction * 100) - 1.2, x + 1.2, area.y(p.prediction * 100) + 1.2)
                realised.point(x, p.realised.map { area.y($0 * 100) } ?? .nan)
            }
            let tone = ["s0", "s1", "s2", "s3"][index % 4]
            html.open("g", ["class": "series " + tone, "data-model": key.model, "data-horizon": String(key.horizon)])
            html.element("title", text: "\(key.model), \(key.horizon) min: \(rows.count) predictions")
            if !realised.isEmpty { html.shape("path", ["class": "realised", "d": realised.text]) }
            html.shape("path", ["class": "predicted", "d": predicted.text])
            html.shape("path", ["class": "dots", "d": dots.text])
            html.close("g")
        }
        if predictions.isEmpty { CandleChart.emptyText(&html, area, "No predictions made in this range") }
        html.element("text", ["x": "70", "y": "16"], text: "Log return over the horizon, % · dashed: predicted · solid: realised")
        html.close("svg")
        if !predictions.isEmpty {
            html.element("ul", ["class": "legend market-legend"]) { html in
                for (index, key) in series.keys.sorted().enumerated() {
                    let rows = series[key]!
                    html.element("li", ["class": ["s0", "s1", "s2", "s3"][index % 4]]) { html in
                        html.raw("<span class=\"sw\"></span>")
                        html.text(
                            "\(key.model) (\(key.horizon) min): \(rows.count) predictions, \(rows.count { $0.realised != nil }) scored")
                    }
                }
            }
        }
    }

    /// One line pair: a model version at a horizon.
    struct SeriesKey: Hashable, Comparable {
        var model: String
        var horizon: Int
        static func < (a: SeriesKey, b: SeriesKey) -> Bool { (a.horizon, a.model) < (b.horizon, b.model) }
    }
}
