import Forecasting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Indicators
import MarketAPI
import MarketData
import MarketPipeline
import NIOCore
import Testing
import UpdraftAPI

/// Candles over real HTTP: exact JSON and Binance's CSV against the fixture rows, bounds,
/// resampling, errors.
@Suite(.serialized) struct MarketCandleTests {
    static let day = "from=2024-09-21T00:00:00Z&to=2024-09-22T00:00:00Z"

    @Test func csvIsTheArchiveFileByteForByte() async throws {
        let harness = try await SharedMarketHome.shared.harness()
        try await harness.withServer { api in
            let answer = try await api.get("/api/market/v1/symbols/BTCUSDT/candles?\(Self.day)&format=csv")
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "text/csv")
            #expect([UInt8](buffer: answer.body) == harness.dayCSV)
            #expect(MarketAPIHarness.lines([UInt8](buffer: answer.body)).allSatisfy { $0.split(separator: ",").count == 12 })
            // `Accept: text/csv` asks for the same; lower-case symbols are Binance's pairs too.
            let accepted = try await api.get("/api/market/v1/symbols/btcusdt/candles?\(Self.day)", headers: [.accept: "text/csv"])
            #expect([UInt8](buffer: accepted.body) == harness.dayCSV)
        }
    }

    @Test func jsonHoldsTheExactFixtureValues() async throws {
        let harness = try await SharedMarketHome.shared.harness()
        let rows = MarketAPIHarness.lines(harness.dayCSV).map { $0.split(separator: ",").map(String.init) }
        try await harness.withServer { api in
            let answer = try await api.json("/api/market/v1/symbols/BTCUSDT/candles?\(Self.day)")
            #expect(answer["symbol"] as? String == "BTCUSDT")
            #expect(answer["interval"] as? String == "1m")
            let candles = try #require(answer["candles"] as? [[String: Any]])
            #expect(candles.count == 1440)
            for (candle, row) in zip(candles, rows) {
                #expect(candle.count == 12)
                #expect(candle["partial"] as? Bool == false)
                #expect(candle["open_time"] as? String == UTCCalendar.iso8601(microseconds: Int64(row[0])! * 1000))
                #expect(candle["close_time"] as? String == UTCCalendar.iso8601(microseconds: Int64(row[6])! * 1000))
                let decimals = [
                    "open": 1, "high": 2, "low": 3, "close": 4, "volume": 5, "quote_volume": 7, "taker_buy_base_volume": 9,
                    "taker_buy_quote_volume": 10,
                ]
                for (field, column) in decimals { #expect(candle[field] as? String == row[column], "\(field)") }
                #expect((candle["trades"] as? NSNumber)?.intValue == Int(row[8]))
            }
            #expect(candles.first?["open"] as? String == "63201.05000000")
            #expect(candles.first?["close_time"] as? String == "2024-09-21T00:00:59.999000Z")
        }
    }

    @Test func fromIsInclusiveAndToExclusiveInISOOrEpochMilliseconds() async throws {
        let harness = try await SharedMarketHome.shared.harness()
        try await harness.withServer { api in
            let iso = try await api.json("/api/market/v1/symbols/BTCUSDT/candles?from=2024-09-21T00:01:00Z&to=2024-09-21T00:03:00Z")
            let times = (iso["candles"] as? [[String: Any]] ?? []).map { $0["open_time"] as? String }
            #expect(times == ["2024-09-21T00:01:00Z", "2024-09-21T00:02:00Z"])
            let millis = try await api.json("/api/market/v1/symbols/BTCUSDT/candles?from=1726876860000&to=1726876980000")
            #expect((millis["candles"] as? [[String: Any]] ?? []).map { $0["open_time"] as? String } == times)
            // A zone other than UTC, and a date alone.
            let zoned = try await api.json("/api/market/v1/symbols/BTCUSDT/candles?from=2024-09-21T02:01:00%2B02:00&to=2024-09-22")
            #expect((zoned["candles"] as? [[String: Any]])?.count == 1439)
            // Without bounds: every candle of the symbol (3 days of 2020 and one of 2024).
            let all = try await api.json("/api/market/v1/symbols/BTCUSDT/candles")
            #expect((all["candles"] as? [[String: Any]])?.count == 4 * 1440)
        }
    }

    @Test func otherIntervalsAreBuiltExactlyFromTheMinutes() async throws {
        let harness = try await SharedMarketHome.shared.harness()
        let rows = MarketAPIHarness.lines(harness.dayCSV).map { $0.split(separator: ",").map(String.init) }
        try await harness.withServer { api in
            let answer = try await api.json("/api/market/v1/symbols/BTCUSDT/candles?interval=1h&\(Self.day)")
            #expect(answer["interval"] as? String == "1h")
            let hours = try #require(answer["candles"] as? [[String: Any]])
            #expect(hours.count == 24)
            for (index, hour) in hours.enumerated() {
                let minutes = rows[(index * 60)..<(index * 60 + 60)]
                func sum(_ column: Int) throws -> String {
                    FixedDecimal(units: try minutes.reduce(Int128(0)) { $0 + (try FixedDecimal(parsing: $1[column])).units }).description
                }
                func extreme(_ column: Int, _ pick: ([FixedDecimal]) -> FixedDecimal?) throws -> String? {
                    pick(try minutes.map { try FixedDecimal(parsing: $0[column]) })?.description
                }
                #expect(hour["open_time"] as? String == UTCCalendar.iso8601(microseconds: Int64(minutes.first![0])! * 1000))
                #expect(hour["close_time"] as? String == UTCCalendar.iso8601(microseconds: Int64(minutes.last![6])! * 1000))
                #expect(hour["open"] as? String == minutes.first![1])
                #expect(hour["close"] as? String == minutes.last![4])
                #expect(hour["high"] as? String == (try extreme(2) { $0.max() }))
                #expect(hour["low"] as? String == (try extreme(3) { $0.min() }))
                #expect(hour["volume"] as? String == (try sum(5)))
                #expect(hour["quote_volume"] as? String == (try sum(7)))
                #expect(hour["taker_buy_quote_volume"] as? String == (try sum(10)))
                #expect((hour["trades"] as? NSNumber)?.intValue == minutes.reduce(0) { $0 + Int($1[8])! })
                #expect(hour["partial"] as? Bool == false)
            }
            // `from`/`to` bound the open times of the coarser candles: 00:30 rounds up to 01:00.
            let bounded = try await api.json(
                "/api/market/v1/symbols/BTCUSDT/candles?interval=1h&from=2024-09-21T00:30:00Z&to=2024-09-21T03:00:00Z")
            let times = (bounded["candles"] as? [[String: Any]] ?? []).map { $0["open_time"] as? String }
            #expect(times == ["2024-09-21T01:00:00Z", "2024-09-21T02:00:00Z"])
            // A day with a gap makes one daily candle of the minutes it has; CSV too.
            let daily = try await api.get("/api/market/v1/symbols/ETHUSDT/candles?interval=1d&format=csv")
            let line = try #require(MarketAPIHarness.lines([UInt8](buffer: daily.body)).first)
            #expect(MarketAPIHarness.lines([UInt8](buffer: daily.body)).count == 1)
            #expect(line.split(separator: ",").first == "1726876800000")
            #expect(line.split(separator: ",")[6] == "1726963199999")
        }
    }

    @Test func coarserIntervalsAreReadFromTheirTablesWithThePartialBucketMarked() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-candles-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        let stores = try MarketStores(home: home)
        let start = UTCCalendar.microseconds(year: 2024, month: 9, day: 21), minute: Int64 = 60_000_000
        let price = FixedDecimal(units: 6_300_000_000_000)
        let klines = (0..<90).map { index in
            Kline(
                openTime: start + Int64(index) * minute, open: price, high: price, low: price, close: price,
                volume: FixedDecimal(units: 100_000_000), closeTime: start + Int64(index + 1) * minute - 1_000, quoteVolume: price,
                trades: 1, takerBuyBaseVolume: .zero, takerBuyQuoteVolume: .zero)
        }
        _ = try stores.warehouse.insert(klines, symbol: "XUSDT", interval: .oneMinute)
        let hour = try BarInterval("1h"), everything = TimeBounds(from: nil, to: nil)
        // Not resampled (not in data.intervals): a 400 that says so, not an empty answer.
        do {
            _ = try MarketReads.candles("XUSDT", interval: hour, bounds: everything, from: stores.warehouse)
            Issue.record("an interval that is not kept answered")
        } catch let error as APIError {
            #expect("\(error)".contains("data.intervals"), "\(error)")
        }
        // Resampled: the table's rows, the second hour partial (30 of its 60 minutes).
        _ = try stores.warehouse.resample(symbol: "XUSDT", intervals: [.oneHour])
        let hours = try MarketReads.candles("XUSDT", interval: hour, bounds: everything, from: stores.warehouse)
        #expect(hours == (try stores.warehouse.klines(symbol: "XUSDT", interval: .oneHour)))
        #expect(hours.map(\.openTime) == [start, start + 60 * minute])
        #expect(hours.map(\.volume.units) == [60 * 100_000_000, 30 * 100_000_000])
        #expect(try MarketReads.partialOpenTimes("XUSDT", interval: hour, from: stores.warehouse) == [start + 60 * minute])
    }

    @Test func oneAnswerHoldsAtMost50000Rows() async throws {
        let harness = try await SharedMarketHome.shared.harness()
        try await harness.withServer { api in
            for path in ["candles", "indicators"] {
                let all = try await api.get("/api/market/v1/symbols/BIGUSDT/\(path)")
                #expect(all.status == .badRequest, "\(path)")
                #expect(String(buffer: all.body).contains("more than 50000"), "\(path)")
            }
            // Exactly 50,000 minutes: January's 44,640 and 5,360 of February.
            let most = try await api.get("/api/market/v1/symbols/BIGUSDT/candles?from=2023-01-01&to=2023-02-04T17:20:00Z&format=csv")
            #expect(most.status == .ok)
            #expect(MarketAPIHarness.lines([UInt8](buffer: most.body)).count == 50_000)
            let indicators = try await api.get("/api/market/v1/symbols/BIGUSDT/indicators?from=2023-01-01&to=2023-02-04T17:20:00Z")
            #expect(indicators.status == .ok)
            #expect(String(buffer: indicators.body).components(separatedBy: "\"open_time\"").count - 1 == 50_000)
            // A coarser interval counts its own candles: 864 hours.
            let hours = try await api.json("/api/market/v1/symbols/BIGUSDT/candles?interval=1h")
            #expect((hours["candles"] as? [Any])?.count == 36 * 24)
        }
    }

    @Test func badParametersAreValidationErrorsNamingThem() async throws {
        let harness = try await SharedMarketHome.shared.harness()
        try await harness.withServer { api in
            for (query, field) in [
                ("from=yesterday", "from"), ("to=2024-13-01", "to"), ("interval=7m", "interval"), ("format=xml", "format"),
                ("from=2024-09-21T01:00:00Z&to=2024-09-21T01:00:00Z", "to"),
            ] {
                let answer = try await api.get("/api/market/v1/symbols/BTCUSDT/candles?\(query)")
                #expect(answer.status == .unprocessableContent, "\(query)")
                let body = try JSONSerialization.jsonObject(with: Data([UInt8](buffer: answer.body))) as? [String: Any]
                let detail = (body?["detail"] as? [[String: Any]])?.first
                #expect(detail?["loc"] as? [String] == ["query", field], "\(query)")
            }
        }
    }

    @Test func unknownSymbolIsNotFoundAndNoTokenIsUnauthorized() async throws {
        let harness = try await SharedMarketHome.shared.harness()
        try await harness.withServer { api in
            for path in ["candles", "indicators", "gaps"] {
                let answer = try await api.get("/api/market/v1/symbols/NOPEUSDT/\(path)")
                #expect(answer.status == .notFound)
                let body = try JSONSerialization.jsonObject(with: Data([UInt8](buffer: answer.body))) as? [String: Any]
                #expect((body?["detail"] as? String)?.contains("NOPEUSDT") == true)
            }
            for path in ["symbols", "symbols/BTCUSDT/candles", "models", "models/best", "predictions/latest"] {
                let answer = try await api.get("/api/market/v1/\(path)", authorized: false)
                #expect(answer.status == .unauthorized, "\(path)")
            }
        }
    }
}
