import Indicators
import MarketData
import UpdraftUI

/// The RSI(14) panel (`svg.chart.rsi`, lines at 30 and 70) and the MACD(12, 26, 9) panel
/// (`svg.chart.macd`: MACD, signal, histogram) under the price chart, from the stored indicators.
enum IndicatorPanels {
    static let height = 110.0

    static func render(_ html: inout HTML, _ data: MarketChartData) {
        let frame = PlotArea(height: height, from: data.range.from, to: data.range.to, low: 0, high: 1)
        let width = frame.width(of: data.range.interval.microseconds)
        let centers = data.klines.map { frame.x($0.openTime) + width / 2 }
        rsi(&html, data, centers: centers)
        macd(&html, data, centers: centers, barWidth: max(0.6, width * 0.7))
    }

    private static func rsi(_ html: inout HTML, _ data: MarketChartData, centers: [Double]) {
        let area = PlotArea(height: height, from: data.range.from, to: data.range.to, low: 0, high: 100)
        area.open(&html, classes: "chart rsi", label: "\(data.symbol) RSI 14")
        for level in [30.0, 70.0] {
            let y = NumberText.string(area.y(level))
            html.shape(
                "line",
                ["class": "level", "x1": NumberText.string(area.plotLeft), "x2": NumberText.string(area.plotRight), "y1": y, "y2": y])
            html.element(
                "text", ["x": NumberText.string(area.plotLeft - 4), "y": NumberText.string(area.y(level) + 3), "text-anchor": "end"]
            ) {
                html in html.number(level, decimals: 0)
            }
        }
        area.timeAxis(&html)
        var path = SVGPath()
        for (x, value) in zip(centers, data.indicators.column("rsi14")) { path.point(x, value.isFinite ? area.y(value) : .nan) }
        if path.isEmpty {
            CandleChart.emptyText(&html, area, "No RSI stored for this range")
        } else {
            html.shape("path", ["class": "overlay rsi-line", "d": path.text])
        }
        html.element("text", ["x": "70", "y": "16"], text: "RSI 14")
        html.close("svg")
    }

    private static func macd(_ html: inout HTML, _ data: MarketChartData, centers: [Double], barWidth: Double) {
        let macd = data.indicators.column("macd"), signal = data.indicators.column("macd_signal")
        let histogram = data.indicators.column("macd_hist")
        let finite = (macd + signal + histogram).filter(\.isFinite)
        let extent = max(finite.map(abs).max() ?? 1, 1e-12) * 1.05
        let area = PlotArea(height: height, from: data.range.from, to: data.range.to, low: -extent, high: extent)
        area.open(&html, classes: "chart macd", label: "\(data.symbol) MACD 12 26 9")
        area.valueAxis(&html, decimals: CandleChart.priceDecimals(extent), ticks: 2)
        area.timeAxis(&html)
        let zero = area.y(0)
        var positive = SVGPath(), negative = SVGPath()
        for (x, value) in zip(centers, histogram) where value.isFinite {
            if value >= 0 {
                positive.rectangle(x - barWidth / 2, area.y(value), x + barWidth / 2, zero)
            } else {
                negative.rectangle(x - barWidth / 2, zero, x + barWidth / 2, area.y(value))
            }
        }
        if !positive.isEmpty { html.shape("path", ["class": "hist up", "d": positive.text]) }
        if !negative.isEmpty { html.shape("path", ["class": "hist down", "d": negative.text]) }
        for (values, name) in [(macd, "overlay macd-line"), (signal, "overlay signal-line")] {
            var path = SVGPath()
            for (x, value) in zip(centers, values) { path.point(x, value.isFinite ? area.y(value) : .nan) }
            if !path.isEmpty { html.shape("path", ["class": name, "d": path.text]) }
        }
        if finite.isEmpty { CandleChart.emptyText(&html, area, "No MACD stored for this range") }
        html.element("text", ["x": "70", "y": "16"], text: "MACD 12 26 9 · signal · histogram")
        html.close("svg")
    }
}
