import Foundation
import MarketData
import Testing

@testable import Forecasting

/// A small, quick training configuration for tests.
func testTrainingConfiguration(includeIndicators: Bool = true) -> TrainingConfiguration {
    TrainingConfiguration(
        dataset: DatasetConfiguration(includeIndicators: includeIndicators), folds: 3, testFraction: 0.3,
        maxRows: nil, maxTrainRows: 3000, ridgeAlpha: 10,
        trees: .init(trees: 40, maxDepth: 3, learningRate: 0.1, subsample: 0.7, minSamplesLeaf: 30))
}

@Suite struct ForecasterTrainingTests {
    @Test func learntModelsBeatTheBaselineOnALearnableSeries() throws {
        let home = SyntheticCandles.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let forecaster = try Forecaster(home: home)
        let series = SyntheticCandles.make(count: 6000, seed: 21, theta: 0.03)
        let now = Date(timeIntervalSince1970: Double(series.openTime.last! + SyntheticCandles.minute) / 1e6)
        let result = try forecaster.train(
            symbol: "SYNUSDT", candles: series, horizonMinutes: 60,
            configuration: testTrainingConfiguration(), now: now)
        #expect(result.models.map(\.kind) == [.zero, .persistence, .ridge, .gbt])
        let byKind = Dictionary(uniqueKeysWithValues: result.models.map { ($0.kind, $0) })
        let gbt = try #require(byKind[.gbt])
        let ridge = try #require(byKind[.ridge])
        let zero = try #require(byKind[.zero])
        // Same validation rows for everyone, the baseline is the zero model's own metrics.
        #expect(zero.validation == zero.baseline)
        #expect(gbt.baseline == zero.validation)
        #expect(gbt.validation.mse < 0.9 * gbt.baseline.mse)
        #expect(gbt.validation.r2 > 0.1)
        #expect(gbt.validation.directionalAccuracy > 0.6)
        #expect(ridge.validation.mse < 0.9 * ridge.baseline.mse)
        #expect(result.best.kind == .gbt || result.best.kind == .ridge)
        #expect(result.best.validation.mse == result.models.map(\.validation.mse).min())
        // Folds keep the horizon as a gap.
        for fold in result.folds { #expect(fold.train.upperBound + 60 <= fold.test.lowerBound) }
    }

    @Test func onARandomWalkNothingBeatsZeroByMuch() throws {
        let home = SyntheticCandles.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let forecaster = try Forecaster(home: home)
        let series = SyntheticCandles.make(count: 5000, seed: 22, theta: 0)
        let result = try forecaster.train(symbol: "RNDUSDT", candles: series, configuration: testTrainingConfiguration())
        let gbt = try #require(result.models.first { $0.kind == .gbt })
        #expect(gbt.validation.r2 < 0.05)
        #expect(result.models.first { $0.kind == .zero }!.validation.r2 <= 0)
    }

    @Test func onlyTheLatestRowsAndTrainingWindowAreUsed() throws {
        let home = SyntheticCandles.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let forecaster = try Forecaster(home: home)
        let series = SyntheticCandles.make(count: 8000, seed: 24)
        var config = testTrainingConfiguration()
        config.kinds = [.zero, .ridge]
        config.maxRows = 2500
        config.maxTrainRows = 1000
        let result = try forecaster.train(symbol: "SYNUSDT", candles: series, configuration: config)
        #expect(result.datasetRows == 2500)
        let ridge = try #require(result.models.last)
        #expect(ridge.trainRows == 1000)
        // The last row is the last candle with a 60-minute target; the window is the latest 1,000 rows.
        #expect(ridge.trainEnd == series.openTime[8000 - 61])
        #expect(ridge.trainStart == series.openTime[8000 - 61 - 999])
        // The fingerprint is of exactly those rows, so it matches a dataset built independently
        // from the candles training reads: 2,500 rows + 1,000 warm-up + twice the 60-bar horizon.
        let dataset = try Dataset(series: Forecaster.tail(series, 2500 + 1000 + 120))
        #expect(ridge.dataFingerprint == dataset.fingerprint(rows: (dataset.times.count - 1000)..<dataset.times.count))
        for fold in result.folds { #expect(fold.train.count <= 1000) }
    }

    @Test func candlesNotClosedByNowAreLeftOut() throws {
        let home = SyntheticCandles.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let forecaster = try Forecaster(home: home)
        let series = SyntheticCandles.make(count: 3000, seed: 25)
        var config = testTrainingConfiguration()
        config.kinds = [.zero]
        let closeOfLast = Date(timeIntervalSince1970: Double(series.openTime[2999] + SyntheticCandles.minute) / 1e6)
        let all = try forecaster.train(symbol: "A", candles: series, configuration: config, now: closeOfLast)
        // Half a minute earlier the last candle is still open: one target (and row) fewer.
        let open = try forecaster.train(symbol: "B", candles: series, configuration: config, now: closeOfLast - 30)
        #expect(open.datasetRows == all.datasetRows - 1)
        #expect(open.models[0].trainEnd == all.models[0].trainEnd - SyntheticCandles.minute)
    }

    @Test func tooShortASeriesNamesTheSymbol() throws {
        let home = SyntheticCandles.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let forecaster = try Forecaster(home: home)
        let series = SyntheticCandles.make(count: 150, seed: 23)
        #expect {
            try forecaster.train(symbol: "TINYUSDT", candles: series, configuration: testTrainingConfiguration())
        } throws: { error in
            "\(error)".contains("TINYUSDT")
        }
    }
}
