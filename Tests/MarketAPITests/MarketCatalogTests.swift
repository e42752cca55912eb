import Forecasting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Indicators
import MarketData
import MarketPipeline
import NIOCore
import Testing

/// Symbols, gaps, indicators, models and predictions over real HTTP.
@Suite(.serialized) struct MarketCatalogTests {
    @Test func symbolsListEveryPairByLatestRankWithPaging() async throws {
        let harness = try await SharedMarketHome.shared.harness()
        try await harness.withServer { api in
            let answer = try await api.json("/api/market/v1/symbols")
            #expect(answer["total_entries"] as? Int == 6)
            let symbols = try #require(answer["symbols"] as? [[String: Any]])
            #expect(symbols.map { $0["symbol"] as? String } == ["BTCUSDT", "DOGEUSDT", "USDCUSDT", "BIGUSDT", "ETHUSDT", "OLDUSDT"])
            #expect(
                symbols.map { $0["tracking"] as? String } == [
                    "tracked", "backfilling", "stablecoin", "untracked", "untracked", "backfilling",
                ])
            #expect(symbols.map { $0["rank"] as? Int } == [1, 3, 4, nil, nil, nil])
            let btc = symbols[0]
            #expect(btc["coin_id"] as? String == "bitcoin")
            #expect(btc["name"] as? String == "Bitcoin")
            #expect(btc["rows"] as? Int == 4 * 1440)
            #expect(btc["first_open_time"] as? String == "2020-01-01T00:00:00Z")
            #expect(btc["last_open_time"] as? String == "2024-09-21T23:59:00Z")
            #expect(btc["last_updated_at"] as? String == UTCCalendar.iso8601(microseconds: 1_727_000_000_000_000))
            #expect(symbols[4]["rows"] as? Int == 1440 - MarketAPIHarness.removedRows.count)
            #expect(symbols[1]["rows"] as? Int == 0 && symbols[1]["first_open_time"] is NSNull)
            let page = try await api.json("/api/market/v1/symbols?limit=2&offset=1")
            #expect((page["symbols"] as? [[String: Any]])?.map { $0["symbol"] as? String } == ["DOGEUSDT", "USDCUSDT"])
            #expect(page["total_entries"] as? Int == 6)
        }
    }

    @Test func gapsAreTheMissingMinutes() async throws {
        let harness = try await SharedMarketHome.shared.harness()
        try await harness.withServer { api in
            let eth = try await api.json("/api/market/v1/symbols/ETHUSDT/gaps")
            let gaps = try #require(eth["gaps"] as? [[String: Any]])
            #expect(gaps.count == 1)
            #expect(gaps.first?["start"] as? String == "2024-09-21T01:40:00Z")
            #expect(gaps.first?["end"] as? String == "2024-09-21T01:45:00Z")
            #expect(gaps.first?["missing"] as? Int == 5)
            #expect(eth["missing"] as? Int == 5 && eth["total_entries"] as? Int == 1)
            // Bounds count the edges: an hour past the day's end is missing too.
            let bounded = try await api.json("/api/market/v1/symbols/ETHUSDT/gaps?from=2024-09-21T01:42:00Z&to=2024-09-22T01:00:00Z")
            #expect((bounded["gaps"] as? [[String: Any]])?.map { $0["missing"] as? Int } == [3, 60])
            // BTCUSDT: nothing between 2020-01-04 and 2024-09-21.
            let btc = try await api.json("/api/market/v1/symbols/BTCUSDT/gaps")
            let missing =
                (UTCCalendar.microseconds(year: 2024, month: 9, day: 21) - UTCCalendar.microseconds(year: 2020, month: 1, day: 4))
                / 60_000_000
            #expect((btc["gaps"] as? [[String: Any]])?.map { $0["missing"] as? Int } == [Int(missing)])
            #expect((btc["gaps"] as? [[String: Any]])?.first?["start"] as? String == "2020-01-04T00:00:00Z")
        }
    }

    @Test func indicatorsAreTheStoredRows() async throws {
        let harness = try await SharedMarketHome.shared.harness()
        let start = UTCCalendar.microseconds(year: 2020, month: 1, day: 1)
        let stored = try harness.stores.indicators.outputs(symbol: "BTCUSDT", from: start, to: start + 40 * 60_000_000)
        try await harness.withServer { api in
            let uri = "/api/market/v1/symbols/BTCUSDT/indicators?from=2020-01-01&to=2020-01-01T00:40:00Z"
            let answer = try await api.json(uri)
            #expect(answer["interval"] as? String == "1m")
            let rows = try #require(answer["indicators"] as? [[String: Any]])
            #expect(rows.count == 40)
            #expect(rows.first?["open_time"] as? String == "2020-01-01T00:00:00Z")
            // Exact doubles: JSONDecoder parses them exactly (Linux's JSONSerialization does not).
            let exact = try JSONDecoder().decode(
                IndicatorsAnswer.self, from: Data([UInt8](buffer: try await api.get(uri).body)))
            for (index, row) in exact.indicators.enumerated() {
                #expect(row.count == IndicatorSet.columns.count + 1)
                for (column, name) in IndicatorSet.columns.enumerated() {
                    let value = stored.set.values[column][index]
                    #expect(row[name] == (value.isNaN ? .null : .number(value)), "\(name) at \(index)")
                }
            }
            // SMA(20) has no value before the 20th candle.
            #expect(rows[18]["sma20"] is NSNull && rows[19]["sma20"] is NSNumber)
            let none = try await api.json("/api/market/v1/symbols/ETHUSDT/indicators")
            #expect((none["indicators"] as? [Any])?.isEmpty == true)
            // Another interval reads its own table: one row per complete hour, computed over the hours.
            let hourly = try await api.json("/api/market/v1/symbols/BTCUSDT/indicators?interval=1h&from=2020-01-01&to=2020-01-02")
            #expect(hourly["interval"] as? String == "1h")
            let hours = try #require(hourly["indicators"] as? [[String: Any]])
            let storedHours = try harness.stores.indicators.outputs(
                symbol: "BTCUSDT", interval: .oneHour, from: start, to: start + 24 * 3_600_000_000)
            #expect(hours.count == 24 && storedHours.openTimes.count == 24)
            #expect(hours.map { $0["open_time"] as? String } == storedHours.openTimes.map { UTCCalendar.iso8601(microseconds: $0) })
            let bad = try await api.get("/api/market/v1/symbols/BTCUSDT/indicators?interval=7m")
            #expect(bad.status == .unprocessableContent)
        }
    }

    @Test func modelsCarryTheirMetricsAgainstTheBaselineAndPredictionsTheNewest() async throws {
        let harness = try await SharedMarketHome.shared.harness()
        let registered = try harness.stores.forecaster.registry.models(symbol: "BTCUSDT")
        let best = try #require(try harness.stores.forecaster.registry.bestModel(symbol: "BTCUSDT", horizonMinutes: 15))
        try await harness.withServer { api in
            let answer = try await api.json("/api/market/v1/models?symbol=BTCUSDT")
            let models = try #require(answer["models"] as? [[String: Any]])
            #expect(answer["total_entries"] as? Int == registered.count)
            #expect(models.map { $0["id"] as? String } == registered.map(\.id))
            #expect(models.filter { $0["is_best"] as? Bool == true }.map { $0["id"] as? String } == [best.id])
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let exact = try decoder.decode(
                ModelsAnswer.self, from: Data([UInt8](buffer: try await api.get("/api/market/v1/models?symbol=BTCUSDT").body)))
            for (model, record) in zip(exact.models, registered) {
                #expect(model.validation == record.validation)
                #expect(model.baseline == record.baseline)
                #expect(model.beatsBaseline == (record.validation.mse < record.baseline.mse))
                #expect(model.skill == 1 - record.validation.mse / record.baseline.mse)
                #expect(model.horizonMinutes == 15 && model.live == nil)
            }
            let bestAnswer = try await api.json("/api/market/v1/models/best")
            #expect((bestAnswer["models"] as? [[String: Any]])?.map { $0["id"] as? String } == [best.id])
            let none = try await api.json("/api/market/v1/models?symbol=ETHUSDT")
            #expect(none["total_entries"] as? Int == 0)

            let latest = try await api.json("/api/market/v1/predictions/latest")
            let predictions = try #require(latest["predictions"] as? [[String: Any]])
            #expect(predictions.count == 1)
            #expect(predictions.first?["symbol"] as? String == "BTCUSDT")
            #expect(predictions.first?["model_version"] as? String == best.id)
            #expect(predictions.first?["time"] as? String == "2020-01-03T23:59:00Z")
            #expect(predictions.first?["target_time"] as? String == "2020-01-04T00:14:00Z")
            #expect(predictions.first?["realised"] is NSNull)
        }
    }

    @Test func theOpenAPIDocumentDescribesTheMarketRoutes() async throws {
        let harness = try await SharedMarketHome.shared.harness()
        try await harness.withServer { api in
            let document = try await api.json("/openapi.json")
            let paths = try #require(document["paths"] as? [String: Any])
            for path in [
                "/api/market/v1/symbols", "/api/market/v1/symbols/{symbol}/candles", "/api/market/v1/symbols/{symbol}/indicators",
                "/api/market/v1/symbols/{symbol}/gaps", "/api/market/v1/models", "/api/market/v1/models/best",
                "/api/market/v1/predictions/latest",
            ] {
                #expect(paths[path] != nil, "\(path)")
            }
            let candles = (paths["/api/market/v1/symbols/{symbol}/candles"] as? [String: Any])?["get"] as? [String: Any]
            let ok = (candles?["responses"] as? [String: Any])?["200"] as? [String: Any]
            #expect(Set(((ok?["content"] as? [String: Any]) ?? [:]).keys) == ["application/json", "text/csv"])
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
            #expect(schemas?["MarketCandlesResponse"] != nil && schemas?["MarketModelResponse"] != nil)
        }
    }
}

/// An indicator row's value, as JSONDecoder reads it exactly.
enum IndicatorValue: Decodable, Equatable {
    case text(String), number(Double), null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }
}

struct IndicatorsAnswer: Decodable {
    var indicators: [[String: IndicatorValue]]
}

struct ModelsAnswer: Decodable {
    struct Model: Decodable {
        var horizonMinutes: Int
        var validation: ForecastMetrics
        var baseline: ForecastMetrics
        var skill: Double?
        var beatsBaseline: Bool
        var live: ForecastMetrics?
    }
    var models: [Model]
}
