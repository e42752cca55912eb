import Foundation
import MarketData
import Testing

@testable import Forecasting

/// Training and scoring on a real day of BTCUSDT one-minute candles and a real month of hourly ones.
@Suite struct RealDataTests {
    private let minute: Int64 = 60_000_000

    @Test func realMinuteCandlesTrainScoreAndMature() throws {
        let series = try SharedFixtures.candles("BTCUSDT-1m-2024-09-21.csv")
        #expect(series.count == 1440)
        let home = SyntheticCandles.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let forecaster = try Forecaster(home: home)
        let config = TrainingConfiguration(
            folds: 3, testFraction: 0.3, maxRows: nil, maxTrainRows: nil,
            trees: .init(trees: 20, minSamplesLeaf: 20))
        let trainOn = SyntheticCandles.prefix(series, 1200)
        let closeOf = { (i: Int) in Date(timeIntervalSince1970: Double(series.openTime[i] + self.minute) / 1e6) }
        let result = try forecaster.train(
            symbol: "BTCUSDT", candles: trainOn, horizonMinutes: 15, configuration: config, now: closeOf(1199))
        #expect(result.models.count == 4)
        #expect(result.models.allSatisfy { $0.validation.count == result.models[0].validation.count && $0.validation.mse.isFinite })
        // 1200 candles less the longest lookback (60 returns for volatility60) and the 15-minute horizon.
        #expect(result.datasetRows == 1200 - 60 - 15)
        #expect(result.best.validation.mse == result.models.map(\.validation.mse).min())

        let first = try forecaster.score(
            symbol: "BTCUSDT", candles: SyntheticCandles.prefix(series, 1260), now: closeOf(1259),
            horizonMinutes: 15, maxNewPredictions: 30)
        #expect(first.written.count == 30)
        #expect(first.written.allSatisfy { $0.prediction.isFinite && abs($0.prediction) < 0.05 })
        let second = try forecaster.score(symbol: "BTCUSDT", candles: series, now: closeOf(1439), horizonMinutes: 15, maxNewPredictions: 30)
        #expect(second.scored.count == 30)
        for p in second.scored {
            let i = Int((p.time - series.openTime[0]) / minute)
            #expect(p.realised == log(series.close[i + 15] / series.close[i]))
        }
        #expect(second.liveMetrics[result.best.id]?.count == 30)
    }

    @Test func realMinuteCandlesHaveNoLookAhead() throws {
        let series = try SharedFixtures.candles("BTCUSDT-1m-2024-09-21.csv")
        let truncated = SyntheticCandles.prefix(series, 700)
        let names = DatasetConfiguration().featureNames(barMinutes: 1)
        let full = try FeatureTable(series: series, names: names, barMicros: minute)
        let past = try FeatureTable(series: truncated, names: names, barMicros: minute)
        for c in names.indices {
            for i in 0..<700 {
                let a = full.columns[c][i], b = past.columns[c][i]
                #expect(a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN), "\(names[c]) at \(i)")
            }
        }
    }

    @Test func realHourlyCandlesUseHourLags() throws {
        let series = try SharedFixtures.candles("BTCUSDT-1h-2024-08.csv")
        let dataset = try Dataset(series: series, configuration: DatasetConfiguration(horizonMinutes: 60))
        #expect(dataset.barMicros == 60 * minute)
        #expect(dataset.featureNames.filter { $0.hasPrefix("ret_") } == ["ret_60m"])
        #expect(dataset.times.count == series.count - 60 - 1)
    }
}
