import Foundation
import UpdraftUI

/// A small line chart of a model's drift over time (`svg.chart.drift`): live MSE over validation
/// MSE on a rolling window, with a dashed line at 1.0 (live error as validated).
enum DriftChart {
    static let height = 120.0

    static func render(_ html: inout HTML, _ drift: DriftSeries, model: String) {
        let points = drift.points
        let from = points.first?.time ?? 0, to = max((points.last?.time ?? 1) + 1, from + 60_000_000)
        let top = max(2, (points.map(\.ratio).max() ?? 1) * 1.1)
        let area = PlotArea(height: height, from: from, to: to, low: 0, high: top)
        html.open(
            "svg",
            [
                "class": "chart drift", "viewBox": "0 0 1000 \(Int(height))", "role": "img", "aria-label": "Drift of \(model)",
                "data-points": String(points.count), "data-model": model,
                "data-last": points.last.map { NumberText.string($0.ratio, decimals: 4) },
            ])
        area.valueAxis(&html, decimals: 1, ticks: 3)
        let one = NumberText.string(area.y(1))
        html.shape(
            "line",
            ["class": "level one", "x1": NumberText.string(area.plotLeft), "x2": NumberText.string(area.plotRight), "y1": one, "y2": one])
        if points.isEmpty {
            CandleChart.emptyText(&html, area, "No matured predictions scored yet")
        } else {
            area.timeAxis(&html)
            var path = SVGPath()
            for point in points { path.point(area.x(point.time), area.y(point.ratio)) }
            if points.count == 1, let only = points.first {
                var dot = SVGPath()
                dot.rectangle(area.x(only.time) - 2, area.y(only.ratio) - 2, area.x(only.time) + 2, area.y(only.ratio) + 2)
                path = dot
            }
            html.shape("path", ["class": "overlay drift-line", "d": path.text])
        }
        html.element("text", ["x": "70", "y": "16"], text: "Live MSE ÷ validation MSE, rolling \(drift.window) scored predictions")
        html.close("svg")
    }
}
