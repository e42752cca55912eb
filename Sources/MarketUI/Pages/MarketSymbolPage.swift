import Foundation
import Indicators
import MarketAPI
import MarketData
import MarketPipeline
import UpdraftAPI
import UpdraftCore
import UpdraftUI

/// `GET /market/{symbol}?interval=&from=&to=`: one symbol's candles with overlays, volume, RSI,
/// MACD, predictions beside what happened and the gaps heatmap, for a range and interval chosen
/// with a plain GET form, the interval links, earlier/later links or by dragging across a chart.
enum MarketSymbolPage {
    static let intervalLinks = ["1m", "5m", "15m", "1h", "4h", "1d"]

    static func render(_ request: WebRequest) async throws -> APIResponse {
        let stores = try request.context.resources.resolve(MarketStores.self)
        let text = request.path("symbol")
        let now = Int64((request.context.now.timeIntervalSince1970 * 1_000_000).rounded())
        let (data, name) = try await BlockingRead.run {
            let symbol = try MarketReads.knownSymbol(text, in: stores)
            let last = try SymbolOverview.lastOpenTime(of: symbol, in: stores.warehouse)
            let range = try ChartRange.parse(
                interval: request.query("interval"), from: request.query("from"), to: request.query("to"), lastOpenTime: last, now: now)
            let name = try stores.warehouse.symbol(binancePair: symbol)?.name
            return (try MarketChartData.read(symbol, range: range, stores: stores), name)
        }
        let symbol = data.symbol, range = data.range
        return PageLayout.page(
            request, title: symbol, crumbs: [Crumb("Market", "/market"), Crumb(symbol)], capacity: 64 * 1024 + data.klines.count * 700
        ) { html in
            html.element("div", ["class": "toolbar"]) { html in
                html.element("h1", ["style": "margin:0"], text: symbol)
                if let name { html.element("span", ["class": "muted"], text: name) }
                html.element("a", ["href": MarketPath.models(symbol)], text: "Models")
            }
            form(&html, data)
            facts(&html, data)
            if data.klines.isEmpty {
                html.element("p", ["class": "notice empty-candles"], text: "No candles of \(symbol) in this range.")
            }
            if !data.hasIndicators {
                html.element("p", ["class": "notice empty-indicators"], text: "No indicators stored for \(symbol) in this range.")
            }
            let zoom = MarketPath.symbol(symbol) + "?interval=" + PagePath.segment(range.intervalName) + "&from={from}&to={to}"
            html.element("section", ["class": "panel market-charts"]) { html in
                CandleChart.render(&html, data, zoom: zoom)
                legend(&html, range)
                IndicatorPanels.render(&html, data)
            }
            html.element("section", ["class": "panel"]) { html in
                html.element("h2", text: "Predictions beside what happened")
                if data.predictions.isEmpty {
                    html.element("p", ["class": "notice empty-predictions"], text: "No predictions of \(symbol) were made in this range.")
                }
                PredictionChart.render(&html, data)
            }
            html.element("section", ["class": "panel"]) { html in
                html.element("h2", text: "Missing minutes by day")
                GapHeatmap.render(&html, data)
            }
        }
    }

    private static func form(_ html: inout HTML, _ data: MarketChartData) {
        let range = data.range, symbol = data.symbol
        html.element("form", ["class": "toolbar market-range", "method": "get", "action": MarketPath.symbol(symbol)]) { html in
            html.element("label") { html in
                html.raw("Interval ")
                html.element("select", ["name": "interval"]) { html in
                    for interval in MarketReads.candleIntervals {
                        html.element("option", ["value": interval, "selected": interval == range.intervalName ? "" : nil], text: interval)
                    }
                }
            }
            html.element("label") { html in
                html.raw("From ")
                html.open(
                    "input",
                    ["name": "from", "value": TimeLabel.iso(range.from), "size": "22", "aria-label": "From (ISO 8601 or epoch ms)"])
            }
            html.element("label") { html in
                html.raw("To ")
                html.open("input", ["name": "to", "value": TimeLabel.iso(range.to), "size": "22", "aria-label": "To, exclusive"])
            }
            html.element("button", ["type": "submit"], text: "Show")
            let span = range.to - range.from
            html.element(
                "a",
                [
                    "class": "button",
                    "href": MarketPath.symbol(symbol, interval: range.intervalName, from: range.from - span, to: range.from),
                ]
            ) {
                html in html.raw("← Earlier")
            }
            html.element(
                "a",
                ["class": "button", "href": MarketPath.symbol(symbol, interval: range.intervalName, from: range.to, to: range.to + span)]
            ) {
                html in html.raw("Later →")
            }
            html.element("span", ["class": "muted"], text: "Latest \(ChartRange.defaultBars):")
            for interval in intervalLinks {
                html.element(
                    "a",
                    ["href": MarketPath.symbol(symbol, interval: interval), "aria-current": interval == range.intervalName ? "true" : nil],
                    text: interval)
            }
        }
    }

    private static func facts(_ html: inout HTML, _ data: MarketChartData) {
        html.element("dl", ["class": "facts market-facts"]) { html in
            html.element("dt", text: "Range")
            html.element("dd") { html in
                html.text(
                    "\(TimeLabel.minute(data.range.from)) → \(TimeLabel.minute(data.range.to)) UTC, \(data.range.intervalName) candles")
            }
            html.element("dt", text: "Candles")
            html.element("dd", ["class": "candle-count"], text: String(data.klines.count))
            if let high = data.klines.map(\.high).max(), let low = data.klines.map(\.low).min() {
                html.element("dt", text: "Highest high · lowest low")
                html.element("dd", text: "\(high.description) · \(low.description)")
            }
            html.element("dt", text: "Same data")
            html.element("dd") { html in
                let api =
                    "/api/market/v1/symbols/" + PagePath.segment(data.symbol) + "/candles?interval=" + data.range.intervalName
                    + "&from=\(data.range.fromMillis)&to=\(data.range.toMillis)"
                html.element("a", ["href": api, "class": "mono api-link"], text: api)
            }
        }
    }

    private static func legend(_ html: inout HTML, _ range: ChartRange) {
        html.element("p", ["class": "legend market-legend"]) { html in
            html.raw(
                "<span class=\"k-sma\">━ SMA 20</span> <span class=\"k-ema\">━ EMA 20</span> <span class=\"k-bb\">┅ Bollinger 20, 2σ</span>"
            )
            html.raw(" <span class=\"muted\">Indicators are those stored on ")
            html.text(range.intervalName)
            html.raw(" candles")
            if range.interval != .oneMinute { html.raw(" (complete buckets; a partial one has none yet)") }
            html.raw(". Drag across a chart to zoom.</span>")
        }
    }
}
