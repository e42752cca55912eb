import Foundation
import Indicators
import MarketData
import UpdraftUI

/// The price chart (candles with SMA, EMA and Bollinger overlays) and the volume panel below it.
/// Each candle is one `<g class="candle up|down">` (wick and body, its values in a `<title>`);
/// up candles are hollow, down candles filled, so the direction does not rest on colour alone.
/// The `<svg>` carries what a test compares with the candles API: `data-count`, `data-high` and
/// `data-low` (the highest high and lowest low, exact decimal text as the API writes them),
/// `data-symbol`, `data-interval`, `data-from` and `data-to` (epoch ms).
enum CandleChart {
    static let height = 320.0
    static let volumeHeight = 90.0

    static func render(_ html: inout HTML, _ data: MarketChartData, zoom: String) {
        let klines = data.klines
        let highest = klines.map(\.high).max(), lowest = klines.map(\.low).min()
        let upper = data.indicators.column("bb_upper"), lower = data.indicators.column("bb_lower")
        var low = lowest?.doubleValue ?? .nan, high = highest?.doubleValue ?? .nan
        for value in upper where value.isFinite { high = max(high, value) }
        for value in lower where value.isFinite { low = min(low, value) }
        let pad = high > low ? (high - low) * 0.04 : 0
        let area = PlotArea(height: height, from: data.range.from, to: data.range.to, low: low - pad, high: high + pad)
        let edges = area.zoomEdges
        html.open(
            "svg",
            [
                "class": "chart candles", "viewBox": "0 0 1000 \(Int(height))", "role": "img",
                "aria-label": "\(data.symbol) \(data.range.intervalName) candles", "data-count": String(klines.count),
                "data-high": highest?.description, "data-low": lowest?.description, "data-symbol": data.symbol,
                "data-interval": data.range.intervalName, "data-from": String(data.range.fromMillis),
                "data-to": String(data.range.toMillis),
                "data-zoom": zoom, "data-plot-left": edges.left, "data-plot-right": edges.right, "data-time-left": edges.timeLeft,
                "data-time-right": edges.timeRight,
            ])
        let decimals = priceDecimals(high - low)
        area.valueAxis(&html, decimals: decimals, ticks: 6)
        area.timeAxis(&html)
        if klines.isEmpty {
            emptyText(&html, area, "No candles of \(data.symbol) in this range")
        }
        let step = data.range.interval.microseconds
        let width = area.width(of: step)
        let bodyWidth = max(0.6, width * 0.7)
        for kline in klines {
            let open = kline.open.doubleValue, close = kline.close.doubleValue
            let center = area.x(kline.openTime) + width / 2
            html.open("g", ["class": close >= open ? "candle up" : "candle down"])
            html.element("title") { html in
                html.text(
                    "\(TimeLabel.minute(kline.openTime))  O \(kline.open.description)  H \(kline.high.description)  L \(kline.low.description)  C \(kline.close.description)  V \(kline.volume.description)"
                )
            }
            let x = NumberText.string(center)
            html.shape(
                "line",
                [
                    "x1": x, "x2": x, "y1": NumberText.string(area.y(kline.high.doubleValue)),
                    "y2": NumberText.string(area.y(kline.low.doubleValue)),
                ])
            let top = area.y(max(open, close)), bottom = area.y(min(open, close))
            html.shape(
                "rect",
                [
                    "x": NumberText.string(center - bodyWidth / 2), "y": NumberText.string(top), "width": NumberText.string(bodyWidth),
                    "height": NumberText.string(max(0.5, bottom - top)),
                ])
            html.close("g")
        }
        let centers = klines.map { area.x($0.openTime) + width / 2 }
        for (column, name) in [("bb_upper", "overlay bb"), ("bb_lower", "overlay bb"), ("sma20", "overlay sma"), ("ema20", "overlay ema")] {
            var path = SVGPath()
            for (x, value) in zip(centers, data.indicators.column(column)) { path.point(x, value.isFinite ? area.y(value) : .nan) }
            if !path.isEmpty { html.shape("path", ["class": name, "d": path.text]) }
        }
        html.close("svg")
        volume(&html, data, area: area, centers: centers, bodyWidth: bodyWidth)
    }

    private static func volume(_ html: inout HTML, _ data: MarketChartData, area price: PlotArea, centers: [Double], bodyWidth: Double) {
        let highest = data.klines.map(\.volume.doubleValue).max() ?? 0
        let area = PlotArea(height: volumeHeight, from: data.range.from, to: data.range.to, low: 0, high: highest > 0 ? highest * 1.05 : 1)
        area.open(&html, classes: "chart volume", label: "\(data.symbol) volume")
        area.valueAxis(&html, decimals: 2, ticks: 2)
        area.timeAxis(&html)
        var up = SVGPath(), down = SVGPath()
        for (kline, center) in zip(data.klines, centers) {
            let y = area.y(kline.volume.doubleValue)
            if kline.close >= kline.open {
                up.rectangle(center - bodyWidth / 2, y, center + bodyWidth / 2, area.plotBottom)
            } else {
                down.rectangle(center - bodyWidth / 2, y, center + bodyWidth / 2, area.plotBottom)
            }
        }
        if !up.isEmpty { html.shape("path", ["class": "vol up", "d": up.text]) }
        if !down.isEmpty { html.shape("path", ["class": "vol down", "d": down.text]) }
        html.element("text", ["x": "70", "y": "16"], text: "Volume")
        html.close("svg")
    }

    /// Decimals for price labels: enough to tell ticks apart over a span.
    static func priceDecimals(_ span: Double) -> Int {
        guard span.isFinite, span > 0 else { return 2 }
        if span >= 50 { return 0 }
        if span >= 1 { return 2 }
        return min(8, Int((-log10(span)).rounded(.up)) + 2)
    }

    /// A centred message inside an empty chart.
    static func emptyText(_ html: inout HTML, _ area: PlotArea, _ message: String) {
        html.element(
            "text",
            [
                "class": "empty", "x": NumberText.string(PlotArea.width / 2), "y": NumberText.string(area.height / 2),
                "text-anchor": "middle",
            ],
            text: message)
    }
}
