import Forecasting
import Foundation
import HTTPTypes
import HummingbirdTesting
import MarketData
import MarketPipeline
import NIOCore
import Testing

/// The market pages over HTTP against the harness's warehouse: what the chart draws equals what
/// the candles API answers for the same symbol, interval and range; panels, predictions, gaps,
/// empty states, 404s, escaping and the login redirect.
@Suite(.serialized) struct MarketPageTests {
    /// The candles `<svg>`'s count, highest high and lowest low against `GET …/candles` with the
    /// page's own `interval`, `from` and `to` (epoch ms).
    static func expectChartMatchesAPI(
        _ page: String, symbol: String, _ client: PageClient, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: String] {
        let svg = try #require(Markup.attributes(of: "svg", classes: "chart candles", in: page), sourceLocation: sourceLocation)
        let interval = try #require(svg["data-interval"]), from = try #require(svg["data-from"]), to = try #require(svg["data-to"])
        let answer = try await client.json("/api/market/v1/symbols/\(symbol)/candles?interval=\(interval)&from=\(from)&to=\(to)")
        let candles = try #require(answer["candles"] as? [[String: Any]])
        #expect(svg["data-count"] == String(candles.count), sourceLocation: sourceLocation)
        #expect(Markup.count("<g class=\"candle ", in: page) == candles.count, sourceLocation: sourceLocation)
        let highs = candles.compactMap { $0["high"] as? String }, lows = candles.compactMap { $0["low"] as? String }
        let highest = highs.max { Decimal(string: $0)! < Decimal(string: $1)! }
        let lowest = lows.min { Decimal(string: $0)! < Decimal(string: $1)! }
        #expect(svg["data-high"] == highest, sourceLocation: sourceLocation)
        #expect(svg["data-low"] == lowest, sourceLocation: sourceLocation)
        return svg
    }

    @Test(arguments: [
        ("1m", "from=2020-01-03T11:00:00Z&to=2020-01-03T12:00:00Z", 60),
        ("15m", "from=1577836800000&to=1577923200000", 96),
        ("1h", "from=2020-01-01&to=2020-01-04", 72),
        ("1d", "from=2019-12-30&to=2020-01-10", 3),
        ("5m", "from=2020-01-01T00:02:00Z&to=2020-01-01T01:00:00Z", 11),
    ])
    func chartDrawsWhatTheCandlesAPIAnswers(interval: String, range: String, expected: Int) async throws {
        let harness = try await SharedMarketUIHome.shared.harness()
        try await harness.withServer { client in
            let page = try await client.page("/market/BTCUSDT?interval=\(interval)&\(range)")
            let svg = try await Self.expectChartMatchesAPI(page, symbol: "BTCUSDT", client)
            #expect(svg["data-count"] == String(expected))
            #expect(svg["data-zoom"] == "/market/BTCUSDT?interval=\(interval)&from={from}&to={to}")
        }
    }

    @Test func defaultRangeIsTheLatest200MinutesAndLowerCaseSymbolsWork() async throws {
        let harness = try await SharedMarketUIHome.shared.harness()
        try await harness.withServer { client in
            let page = try await client.page("/market/btcusdt")
            let svg = try await Self.expectChartMatchesAPI(page, symbol: "BTCUSDT", client)
            #expect(svg["data-count"] == "200")
            #expect(svg["data-interval"] == "1m")
            #expect(svg["data-to"] == String(UTCCalendar.microseconds(year: 2020, month: 1, day: 4) / 1000))
            // Only `from`: 200 candles from it.
            let later = try await client.page("/market/BTCUSDT?interval=1h&from=2020-01-02")
            let hours = try await Self.expectChartMatchesAPI(later, symbol: "BTCUSDT", client)
            #expect(hours["data-count"] == "48")
        }
    }

    @Test func panelsOverlaysAndPredictionsAreDrawn() async throws {
        let harness = try await SharedMarketUIHome.shared.harness()
        try await harness.withServer { client in
            let hour = MarketUIHarness.scoredHour
            let page = try await client.page("/market/BTCUSDT?interval=1m&from=\(hour.from)&to=\(hour.to)")
            for panel in ["chart volume", "chart rsi", "chart macd", "chart predictions", "chart gaps"] {
                #expect(page.contains("<svg class=\"\(panel)\""), "\(panel)")
            }
            #expect(page.contains("class=\"level\""))
            for overlay in ["overlay sma", "overlay ema", "overlay bb", "overlay rsi-line", "overlay macd-line", "overlay signal-line"] {
                #expect(page.contains("class=\"\(overlay)\""), "\(overlay)")
            }
            let all = try harness.stores.forecaster.registry.predictions(symbol: "BTCUSDT")
            let start = try #require(TimeBoundsText.micros(hour.from)), end = try #require(TimeBoundsText.micros(hour.to))
            let expected = all.filter { $0.time >= start && $0.time < end }
            #expect(expected.count == 60)
            let predictions = try #require(Markup.attributes(of: "svg", classes: "chart predictions", in: page))
            #expect(predictions["data-predictions"] == String(expected.count))
            #expect(predictions["data-scored"] == String(expected.count { $0.realised != nil }))
            #expect(!page.contains("empty-indicators"))
            #expect(!page.contains("empty-predictions"))
            // At a coarser interval the overlays are that interval's own stored rows.
            let hourly = try await client.page("/market/BTCUSDT?interval=1h&from=2020-01-02&to=2020-01-03")
            #expect(hourly.contains("class=\"overlay sma\""))
            #expect(hourly.contains("Indicators are those stored on 1h candles (complete buckets"))
        }
    }

    @Test func gapsHeatmapHasOneCellPerDayOfTheRange() async throws {
        let harness = try await SharedMarketUIHome.shared.harness()
        try await harness.withServer { client in
            let page = try await client.page("/market/ETHUSDT?interval=1h&from=2024-09-20T12:00:00Z&to=2024-09-22T12:00:00Z")
            let gaps = try #require(Markup.attributes(of: "svg", classes: "chart gaps", in: page))
            #expect(gaps["data-days"] == "3")
            #expect(Markup.count("<rect class=\"cell ", in: page) == 3)
            #expect(page.contains("<title>2024-09-20: 720 of 720 minutes missing</title>"))
            #expect(page.contains("<title>2024-09-21: 5 of 1440 minutes missing</title>"))
            #expect(page.contains("<title>2024-09-22: 720 of 720 minutes missing</title>"))
            _ = try await Self.expectChartMatchesAPI(page, symbol: "ETHUSDT", client)
            // ETHUSDT has no indicators and no predictions: the page says so.
            #expect(page.contains("empty-indicators"))
            #expect(page.contains("No RSI stored for this range"))
            #expect(page.contains("empty-predictions"))
            let predictions = try #require(Markup.attributes(of: "svg", classes: "chart predictions", in: page))
            #expect(predictions["data-predictions"] == "0")
        }
    }

    @Test func emptyRangeUnknownSymbolAndBadQuery() async throws {
        let harness = try await SharedMarketUIHome.shared.harness()
        try await harness.withServer { client in
            let empty = try await client.page("/market/BTCUSDT?interval=1h&from=2022-01-01&to=2022-01-02")
            let svg = try #require(Markup.attributes(of: "svg", classes: "chart candles", in: empty))
            #expect(svg["data-count"] == "0")
            #expect(svg["data-high"] == nil)
            #expect(empty.contains("No candles of BTCUSDT in this range"))
            // A coin's pair with no candles at all.
            let none = try await client.page("/market/XSSUSDT")
            #expect(none.contains("data-count=\"0\""))

            let unknown = try await client.get("/market/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            #expect(unknown.status == .notFound)
            let body = String(buffer: unknown.body)
            #expect(body.contains("Symbol `&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;` was not found"))
            #expect(!body.contains("<SCRIPT>"))
            #expect(try await client.get("/models/NOPEUSDT").status == .notFound)

            #expect(try await client.get("/market/BTCUSDT?interval=7m").status == .badRequest)
            #expect(try await client.get("/market/BTCUSDT?interval=1m&from=2020-01-01&to=2020-01-31").status == .badRequest)
            #expect(try await client.get("/market/BTCUSDT?from=yesterday").status == .unprocessableContent)
        }
    }

    @Test func listEscapesCoinNamesAndLinksEverySymbol() async throws {
        let harness = try await SharedMarketUIHome.shared.harness()
        try await harness.withServer { client in
            let page = try await client.page("/market")
            for symbol in ["BTCUSDT", "ETHUSDT", "XSSUSDT"] { #expect(page.contains("href=\"/market/\(symbol)\"")) }
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.contains(MarketUIHarness.script))
            #expect(page.contains(">Market</a>") && page.contains(">Models</a>"))
        }
    }

    @Test func pagesWithoutASessionRedirectToLogin() async throws {
        let harness = try await SharedMarketUIHome.shared.harness()
        try await harness.withServer { client in
            for path in ["/market", "/market/BTCUSDT", "/models", "/models/BTCUSDT"] {
                let response = try await client.get(path, authorized: false)
                #expect(response.status == .seeOther, "\(path)")
                #expect(response.headers[.location]?.hasPrefix("/login") == true, "\(path)")
            }
        }
    }
}

/// The market API's time texts in µs, for expectations.
enum TimeBoundsText {
    static func micros(_ iso: String) -> Int64? {
        ISO8601DateFormatter().date(from: iso).map { Int64($0.timeIntervalSince1970 * 1_000_000) }
    }
}
