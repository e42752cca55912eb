import Foundation
import MarketData
import Testing

@testable import Forecasting

@Suite struct ScoringTests {
    private let minute = SyntheticCandles.minute

    /// The instant just after candle `index` of `series` closed.
    private func closeOf(_ series: CandleSeries, _ index: Int) -> Date {
        Date(timeIntervalSince1970: Double(series.openTime[index] + minute) / 1e6)
    }

    private func trained(seed: UInt64) throws -> (Forecaster, CandleSeries, String) {
        let home = SyntheticCandles.temporaryHome()
        let forecaster = try Forecaster(home: home)
        let series = SyntheticCandles.make(count: 5000, seed: seed)
        _ = try forecaster.train(
            symbol: "SYNUSDT", candles: SyntheticCandles.prefix(series, 4000), horizonMinutes: 60,
            configuration: testTrainingConfiguration(), now: closeOf(series, 3999))
        return (forecaster, series, home)
    }

    @Test func predictsLatestCandlesThenScoresThemWhenMatured() async throws {
        let (forecaster, series, home) = try trained(seed: 31)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let best = try #require(try forecaster.registry.bestModel(symbol: "SYNUSDT", horizonMinutes: 60))
        // The series runs on past `now`: candles not closed by then are ignored.
        let first = try forecaster.score(symbol: "SYNUSDT", candles: SyntheticCandles.prefix(series, 4101), now: closeOf(series, 4099))
        #expect(first.model == best)
        #expect(first.written.count == 60)
        #expect(first.written.map(\.time) == Array(series.openTime[4040...4099]))
        #expect(first.written.allSatisfy { $0.targetTime == $0.time + 60 * minute && $0.modelVersion == best.id })
        #expect(first.scored.isEmpty)
        // The predictions are the model's own on features over the whole history (scoring
        // computes them over the latest 1,121 candles only; the indicators have forgotten the rest).
        let artifact = try forecaster.registry.artifact(of: best)
        let rows = try Dataset.latestFeatureRows(
            series: SyntheticCandles.prefix(series, 4100), featureNames: artifact.features,
            after: nil, limit: 60)
        #expect(rows.times == first.written.map(\.time))
        // Equal up to rounding: running sums (SMA, OBV) start at a different candle.
        for (mine, full) in zip(first.written.map(\.prediction), artifact.model.predict(rows.features)) {
            #expect(abs(mine - full) <= 1e-9 * max(abs(full), 1e-6))
        }

        // 30 minutes later: 30 new predictions; the first 30 of the earlier ones have matured.
        let second = try forecaster.score(symbol: "SYNUSDT", candles: SyntheticCandles.prefix(series, 4130), now: closeOf(series, 4129))
        #expect(second.written.map(\.time) == Array(series.openTime[4100...4129]))
        #expect(second.scored.map(\.time) == Array(series.openTime[4040...4069]))
        var expected = MetricSums()
        for p in second.scored {
            let i = Int((p.time - series.openTime[0]) / minute)
            let realised = log(series.close[i + 60] / series.close[i])
            #expect(p.realised == realised)
            expected.add(prediction: p.prediction, actual: realised)
        }
        #expect(second.liveMetrics[best.id] == expected.metrics)
        #expect(try forecaster.registry.liveMetrics(modelVersion: best.id) == expected)

        // Scoring again at the same time writes and scores nothing new.
        let again = try forecaster.score(symbol: "SYNUSDT", candles: SyntheticCandles.prefix(series, 4130), now: closeOf(series, 4129))
        #expect(again.written.isEmpty && again.scored.isEmpty)
        let stored = try forecaster.registry.predictions(symbol: "SYNUSDT")
        #expect(stored.count == 90)
        #expect(stored.filter { $0.realised != nil }.count == 30)
        #expect(try forecaster.registry.predictions(symbol: "ETHUSDT").isEmpty)
        #expect(try forecaster.registry.predictions(limit: 5).map(\.time) == Array(series.openTime[4125...4129]).reversed())
    }

    @Test func missingModelFileNamesTheVersionAndWritesNothing() async throws {
        let (forecaster, series, home) = try trained(seed: 32)
        defer { try? FileManager.default.removeItem(atPath: home) }
        _ = try forecaster.score(symbol: "SYNUSDT", candles: SyntheticCandles.prefix(series, 4100), now: closeOf(series, 4099))
        let best = try #require(try forecaster.registry.bestModel(symbol: "SYNUSDT", horizonMinutes: 60))
        try FileManager.default.removeItem(atPath: "\(home)/\(best.artifactPath)")
        #expect(throws: ForecastingError.modelFileMissing(version: best.id, path: "\(home)/\(best.artifactPath)")) {
            try forecaster.score(symbol: "SYNUSDT", candles: SyntheticCandles.prefix(series, 4200), now: closeOf(series, 4199))
        }
        let stored = try forecaster.registry.predictions()
        #expect(stored.count == 60)
        #expect(stored.allSatisfy { $0.realised == nil })
        #expect(try forecaster.registry.liveMetrics(modelVersion: best.id) == nil)
    }

    @Test(arguments: ["{not json", "", "{\"format\":\"updraft-model/1\"}"])
    func corruptModelFileNamesTheVersionAndWritesNothing(content: String) async throws {
        let (forecaster, series, home) = try trained(seed: 33)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let best = try #require(try forecaster.registry.bestModel(symbol: "SYNUSDT", horizonMinutes: 60))
        try Data(content.utf8).write(to: URL(fileURLWithPath: "\(home)/\(best.artifactPath)"))
        #expect {
            try forecaster.score(symbol: "SYNUSDT", candles: SyntheticCandles.prefix(series, 4100), now: closeOf(series, 4099))
        } throws: { error in
            guard case ForecastingError.modelFileCorrupt(let version, _, _) = error else { return false }
            return version == best.id && "\(error)".contains(best.id)
        }
        #expect(try forecaster.registry.predictions().isEmpty)
    }

    @Test func aValidButAlteredFileFailsItsChecksum() async throws {
        let (forecaster, series, home) = try trained(seed: 34)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let best = try #require(try forecaster.registry.bestModel(symbol: "SYNUSDT", horizonMinutes: 60))
        let url = URL(fileURLWithPath: "\(home)/\(best.artifactPath)")
        var artifact = try JSONDecoder().decode(ModelArtifact.self, from: Data(contentsOf: url))
        artifact.model = .zero
        try JSONEncoder().encode(artifact).write(to: url)
        await #expect(throws: ForecastingError.self) {
            try forecaster.score(symbol: "SYNUSDT", candles: SyntheticCandles.prefix(series, 4100), now: closeOf(series, 4099))
        }
        #expect(try forecaster.registry.predictions().isEmpty)
    }

    @Test func featuresThatCannotBeComputedNameTheVersion() async throws {
        let home = SyntheticCandles.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let forecaster = try Forecaster(home: home)
        let metrics = ForecastMetrics(count: 1, mse: 1, mae: 1, r2: 0, directionalAccuracy: 0.5)
        let registered = try forecaster.registry.register(
            symbol: "SYNUSDT", horizonMinutes: 60, features: ["ret_60m", "funding_rate"],
            window: TrainingWindow(start: 0, end: 0, rows: 1, fingerprint: "fnv1a64:0000000000000000"),
            candidates: [ModelCandidate(model: .persistence(featureIndex: 0), parameters: [:], validation: metrics, baseline: metrics)],
            createdAt: 1)
        let series = SyntheticCandles.make(count: 300, seed: 35)
        await #expect(throws: ForecastingError.featuresDoNotMatch(version: registered.best.id, reason: "cannot compute funding_rate")) {
            try forecaster.score(symbol: "SYNUSDT", candles: series, now: closeOf(series, 299))
        }
        #expect(try forecaster.registry.predictions().isEmpty)
        #expect(throws: ForecastingError.noModel(symbol: "ETHUSDT", horizonMinutes: 60)) {
            try forecaster.score(symbol: "ETHUSDT", candles: series, now: closeOf(series, 299))
        }
    }
}
