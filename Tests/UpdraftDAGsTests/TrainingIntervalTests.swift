import Forecasting
import Foundation
import MarketData
import MarketPipeline
import Testing
import UpdraftConfig
import UpdraftCore
import UpdraftRuntime
import UpdraftTesting

@testable import UpdraftDAGs

/// `training` and `scoring` with the `interval` param, run in-process on a warehouse of three days
/// of minutes resampled to 5 minutes: the models record their interval and are trained on 5-minute
/// candles; scoring predicts with them on 5-minute bars; an interval not in `data.intervals` fails
/// the run naming the param and the value.
@Suite("training and scoring: the interval param")
struct TrainingIntervalTests {
    static let end = Date(micros: IndicatorUpdateTests.start + 3 * 1_440 * IndicatorUpdateTests.minute)

    static func harness(home: String) async throws -> (DAGTestHarness, MarketStores) {
        let settings = [
            "home": home, "data.intervals": "1m, 5m", "models.training_days": "3", "models.horizon_minutes": "15",
        ]
        let configuration = try UpdraftConfiguration.defaults(ConfigCatalog.engine.adding(MarketConfig.keys))
            .overriding(settings, origin: "test")
        let stores = try MarketStores(home: home)
        try stores.warehouse.upsertSymbols(
            [MarketSymbol(id: "bitcoin", ticker: "BTC", name: "Bitcoin", rank: 1, marketCap: nil, binancePair: "BTCUSDT")],
            observedAt: end)
        try stores.warehouse.setLastUpdated(end, forSymbol: "bitcoin")  // its history is loaded
        _ = try stores.warehouse.insert(IndicatorUpdateTests.candles(0..<(3 * 1_440)), symbol: "BTCUSDT", interval: .oneMinute)
        _ = try stores.warehouse.resample(symbol: "BTCUSDT", intervals: [.fiveMinutes])
        let resources = Resources(MarketResources.providers(configuration)).overriding([.value(stores)])
        return (try await DAGTestHarness(dags: CryptoDAGs.all(configuration), home: home, resources: resources), stores)
    }

    @Test func modelsAreTrainedAndScoredOnTheIntervalAsked() async throws {
        let home = try PipelineHarness.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let (harness, stores) = try await Self.harness(home: home)
        let registry = stores.forecaster.registry

        let trained = try await harness.run("training", conf: ["interval": .string("5m")], logicalDate: Self.end)
        #expect(trained.state == .success)
        let models = try registry.models(symbol: "BTCUSDT")
        #expect(!models.isEmpty)
        #expect(models.allSatisfy { $0.interval == .fiveMinutes && $0.id.hasPrefix("BTCUSDT-5m-15m-") })
        let step: Int64 = 5 * 60_000_000
        #expect(models.allSatisfy { $0.trainStart % step == 0 && $0.trainEnd % step == 0 })
        let best = try #require(try registry.bestModel(symbol: "BTCUSDT", interval: .fiveMinutes, horizonMinutes: 15))
        #expect(try registry.bestModel(symbol: "BTCUSDT", horizonMinutes: 15) == nil)  // no 1m model

        let scored = try await harness.run("scoring", conf: ["interval": .string("5m")], logicalDate: Self.end)
        #expect(scored.state == .success)
        #expect(scored.instances["score.BTCUSDT"]?.state == .success)
        let predictions = try registry.predictions(symbol: "BTCUSDT")
        #expect(!predictions.isEmpty)
        #expect(predictions.allSatisfy { $0.modelVersion == best.id && $0.time % step == 0 })

        // Without the param, scoring reads 1-minute candles and 1-minute models: there are none.
        let byDefault = try await harness.run("scoring", logicalDate: Self.end.addingTimeInterval(1))
        #expect(byDefault.state == .success)
        #expect(byDefault.instances["score.BTCUSDT"] == nil)
    }

    @Test(arguments: ["training", "scoring"])
    func anIntervalNotConfiguredFailsTheRunNamingIt(dag: String) async throws {
        let home = try PipelineHarness.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let (harness, _) = try await Self.harness(home: home)
        for (index, bad) in ["3m", "7m"].enumerated() {
            let result = try await harness.run(
                dag, conf: ["interval": .string(bad)], logicalDate: Self.end.addingTimeInterval(Double(index)))
            #expect(result.state == .failed)
            let error = result.instances["pick_symbols"]?.error ?? ""
            #expect(
                error.contains("\(dag) param interval") && error.contains("\"\(bad)\"") && error.contains("1m, 5m"),
                "\(error)")
        }
    }

    @Test func candlesReadForModelsHoldFilledMinutesOnlyWhenEnabledAndCompleteBucketsOnly() throws {
        let home = try PipelineHarness.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let stores = try MarketStores(home: home)
        let warehouse = stores.warehouse, start = IndicatorUpdateTests.start, minute = IndicatorUpdateTests.minute
        // 63 minutes, every 10th missing: 12 whole 5-minute buckets and a partial one.
        _ = try warehouse.insert(IndicatorUpdateTests.candles(0..<63, skipEvery: 10), symbol: "BTCUSDT", interval: .oneMinute)
        #expect(try warehouse.forwardFill(symbol: "BTCUSDT", from: start, to: start + 63 * minute) == 6)
        _ = try warehouse.resample(symbol: "BTCUSDT", intervals: [.fiveMinutes])
        func configuration(forwardFill: Bool) throws -> UpdraftConfiguration {
            try UpdraftConfiguration.defaults(ConfigCatalog.engine.adding(MarketConfig.keys))
                .overriding(["home": home, "data.intervals": "1m, 5m", "data.forward_fill": "\(forwardFill)"], origin: "test")
        }
        let end = start + 63 * minute
        let real = try CandleReads.closed(
            "BTCUSDT", interval: .oneMinute, from: start, to: end, stores: stores, configuration: configuration(forwardFill: false))
        let filled = try CandleReads.closed(
            "BTCUSDT", interval: .oneMinute, from: start, to: end, stores: stores, configuration: configuration(forwardFill: true))
        #expect(real.count == 56 && filled.count == 62)
        #expect(filled == (try warehouse.candlesIncludingFilled(symbol: "BTCUSDT", from: start, to: end)))
        #expect(real == (try warehouse.candles(symbol: "BTCUSDT", from: start, to: end)))
        let buckets = try CandleReads.closed(
            "BTCUSDT", interval: .fiveMinutes, from: start, to: end, stores: stores, configuration: configuration(forwardFill: true))
        #expect(buckets.openTime == (0..<12).map { start + Int64($0) * 5 * minute })  // the partial 13th is left out
    }
}
