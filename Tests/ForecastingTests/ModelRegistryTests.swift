import Foundation
import MarketData
import Testing

@testable import Forecasting

@Suite struct ModelRegistryTests {
    private func candidate(_ model: ForecastModel, mse: Double) -> ModelCandidate {
        ModelCandidate(
            model: model, parameters: ["note": "test"],
            validation: ForecastMetrics(count: 10, mse: mse, mae: 0.1, r2: 0.05, directionalAccuracy: 0.55),
            baseline: ForecastMetrics(count: 10, mse: 2, mae: 0.2, r2: -0.01, directionalAccuracy: 0.5))
    }

    private let window = TrainingWindow(start: 1, end: 99, rows: 99, fingerprint: "fnv1a64:0123456789abcdef")

    @Test func eachIntervalHasItsOwnBestModel() throws {
        let home = SyntheticCandles.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let registry = try ModelRegistry(home: home)
        let minute = try registry.register(
            symbol: "BTCUSDT", horizonMinutes: 60, features: ["ret_60m"], window: window,
            candidates: [candidate(.zero, mse: 2)], createdAt: 1000)
        let fiveMinutes = try registry.register(
            symbol: "BTCUSDT", interval: .fiveMinutes, horizonMinutes: 60, features: ["ret_60m"], window: window,
            candidates: [candidate(.zero, mse: 1)], createdAt: 2000)
        // 1-minute ids keep their form; others name the interval; versions count across intervals.
        #expect(minute.best.id == "BTCUSDT-60m-zero-v1" && minute.best.interval == .oneMinute)
        #expect(fiveMinutes.best.id == "BTCUSDT-5m-60m-zero-v2" && fiveMinutes.best.interval == .fiveMinutes)
        #expect(try registry.bestModel(symbol: "BTCUSDT", horizonMinutes: 60) == minute.best)
        #expect(try registry.bestModel(symbol: "BTCUSDT", interval: .fiveMinutes, horizonMinutes: 60) == fiveMinutes.best)
        #expect(try registry.bestModel(symbol: "BTCUSDT", interval: .oneHour, horizonMinutes: 60) == nil)
        #expect(try registry.model(id: fiveMinutes.best.id).interval == .fiveMinutes)
        #expect(try registry.bestModels(symbol: "BTCUSDT").map(\.id) == ["BTCUSDT-60m-zero-v1", "BTCUSDT-5m-60m-zero-v2"])
    }

    @Test func roundTripVersionsAndBestModel() async throws {
        let home = SyntheticCandles.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let registry = try ModelRegistry(home: home)
        let ridge = RidgeRegression(
            alpha: 1, scaler: StandardScaler(means: [0.1, 0.2], scales: [1, 3]),
            coefficients: [0.123456789012345678, -2.5e-17], intercept: 1e-300)
        let trees = GradientBoostedTrees(
            parameters: .init(trees: 1), baseValue: 0.001,
            trees: [
                .init(
                    feature: [1, -1, -1], threshold: [0.1 + 0.2, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, -0.3, 1.0 / 3.0])
            ], featureCount: 2)
        let first = try registry.register(
            symbol: "BTCUSDT", horizonMinutes: 60, features: ["ret_1m", "ret_60m"], window: window,
            candidates: [
                candidate(.zero, mse: 2), candidate(.persistence(featureIndex: 1), mse: 3),
                candidate(.ridge(ridge), mse: 1.5), candidate(.gbt(trees), mse: 1.7),
            ],
            createdAt: 1000)
        #expect(
            first.models.map(\.id) == ["BTCUSDT-60m-zero-v1", "BTCUSDT-60m-persistence-v1", "BTCUSDT-60m-ridge-v1", "BTCUSDT-60m-gbt-v1"])
        #expect(first.best.id == "BTCUSDT-60m-ridge-v1")
        #expect(try registry.bestModel(symbol: "BTCUSDT", horizonMinutes: 60) == first.best)
        #expect(try registry.bestModel(symbol: "BTCUSDT", horizonMinutes: 15) == nil)
        // Records and artifacts round-trip exactly.
        for record in first.models {
            #expect(try registry.model(id: record.id) == record)
            #expect(FileManager.default.fileExists(atPath: "\(home)/models/\(record.id).json"))
        }
        #expect(try registry.artifact(of: first.models[2]).model == .ridge(ridge))
        #expect(try registry.artifact(of: first.models[3]).model == .gbt(trees))
        #expect(first.models[2].dataFingerprint == window.fingerprint && first.models[2].trainRows == 99)
        // No temporary files are left behind by the atomic writes.
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(home)/models")
        #expect(files.sorted() == first.models.map { "\($0.id).json" }.sorted())

        // A second run makes version 2 of each kind; the best moves to the new winner.
        let second = try registry.register(
            symbol: "BTCUSDT", horizonMinutes: 60, features: ["ret_1m", "ret_60m"], window: window,
            candidates: [candidate(.zero, mse: 2), candidate(.gbt(trees), mse: 1.2)], createdAt: 2000)
        #expect(second.models.map(\.id) == ["BTCUSDT-60m-zero-v2", "BTCUSDT-60m-gbt-v2"])
        #expect(try registry.bestModel(symbol: "BTCUSDT", horizonMinutes: 60)?.id == "BTCUSDT-60m-gbt-v2")
        #expect(try registry.bestModelIDs() == ["BTCUSDT-60m-gbt-v2"])
        #expect(try registry.models().count == 6)
        #expect(try registry.models(symbol: "ETHUSDT").isEmpty)
        #expect(throws: ForecastingError.unknownModel("BTCUSDT-60m-gbt-v9")) { try registry.model(id: "BTCUSDT-60m-gbt-v9") }

        // A fresh registry over the same home sees everything (state is on disk).
        let reopened = try ModelRegistry(home: home)
        #expect(try await reopened.models().count == 6)
    }

    @Test func zeroWinsWhenNothingBeatsIt() async throws {
        let home = SyntheticCandles.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let registry = try ModelRegistry(home: home)
        let result = try registry.register(
            symbol: "X", horizonMinutes: 60, features: ["ret_60m"], window: window,
            candidates: [candidate(.zero, mse: 1), candidate(.persistence(featureIndex: 0), mse: 1.4)],
            createdAt: 5)
        #expect(result.best.kind == .zero)
    }

    @Test func failedRegistrationLeavesNothing() async throws {
        let home = SyntheticCandles.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let registry = try ModelRegistry(home: home)
        // A non-finite coefficient cannot be encoded as JSON: the whole run is rolled back.
        let broken = RidgeRegression(alpha: 1, scaler: nil, coefficients: [.nan], intercept: 0)
        #expect(throws: (any Error).self) {
            try registry.register(
                symbol: "X", horizonMinutes: 60, features: ["ret_60m"], window: window,
                candidates: [candidate(.zero, mse: 1), candidate(.ridge(broken), mse: 0.5)], createdAt: 5)
        }
        #expect(try registry.models().isEmpty)
        #expect(try registry.bestModel(symbol: "X", horizonMinutes: 60) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(home)/models").isEmpty)
    }
}
