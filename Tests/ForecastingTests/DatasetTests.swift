import Foundation
import MarketData
import Testing

@testable import Forecasting

@Suite struct DatasetTests {
    private let minute = SyntheticCandles.minute
    private let withIndicators = DatasetConfiguration(horizonMinutes: 60)

    /// Every feature at or before candle `k` is bit-for-bit the same whatever happens after `k`.
    @Test(arguments: [false, true]) func noFeatureSeesTheFuture(truncate: Bool) throws {
        let series = SyntheticCandles.make(count: 1500, seed: 11)
        let k = 1000
        var future = series
        if truncate {
            future = SyntheticCandles.prefix(series, k + 1)
        } else {
            var rng = SplitMix64(seed: 99)
            for i in (k + 1)..<series.count {
                let shock = exp(0.05 * rng.nextGaussian())
                future.open[i] *= shock
                future.close[i] *= shock * 1.01
                future.high[i] = max(future.open[i], future.close[i]) * 1.02
                future.low[i] = min(future.open[i], future.close[i]) * 0.97
                future.volume[i] *= 3 + rng.nextGaussian()
            }
        }
        let names = withIndicators.featureNames(barMinutes: 1)
        #expect(names.count == 4 + FeatureCatalogue.priceFeatures.count + FeatureCatalogue.indicatorFeatures.count)
        let original = try FeatureTable(series: series, names: names, barMicros: minute)
        let changed = try FeatureTable(series: future, names: names, barMicros: minute)
        for (c, name) in names.enumerated() {
            var defined = 0
            for i in 0...k {
                let a = original.columns[c][i], b = changed.columns[c][i]
                #expect(a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN), "feature \(name) at row \(i) changed: \(a) → \(b)")
                if a.isFinite { defined += 1 }
            }
            #expect(defined > 800, "feature \(name) is defined on only \(defined) rows")
        }
        // Dataset rows whose target is also in the past are identical, targets included.
        let a = try Dataset(series: series, configuration: withIndicators)
        let b = try Dataset(series: future, configuration: withIndicators)
        let cutoff = series.openTime[k] - 60 * minute
        let rowsA = a.times.indices.filter { a.times[$0] <= cutoff }
        let rowsB = b.times.indices.filter { b.times[$0] <= cutoff }
        #expect(rowsA == rowsB)
        #expect(a.features.selecting(rows: rowsA) == b.features.selecting(rows: rowsB))
        #expect(rowsA.map { a.targets[$0] } == rowsB.map { b.targets[$0] })
    }

    @Test func targetIsTheForwardLogReturnAndIncompleteRowsAreDropped() throws {
        let series = SyntheticCandles.make(count: 600, seed: 12)
        let dataset = try Dataset(series: series, configuration: DatasetConfiguration(horizonMinutes: 30, returnLagMinutes: [1, 5]))
        #expect(
            dataset.featureNames == ["ret_1m", "ret_5m", "ret_30m"] + FeatureCatalogue.priceFeatures + FeatureCatalogue.indicatorFeatures)
        // Last 30 candles have no target; the first rows lack lookback (volatility60 needs 60 returns,
        // ADX the longest indicator lookback).
        #expect(dataset.times.last == series.openTime[600 - 31])
        #expect(dataset.times.first! >= series.openTime[60])
        for r in [0, 100, dataset.times.count - 1] {
            let i = Int((dataset.times[r] - series.openTime[0]) / minute)
            #expect(dataset.targets[r] == log(series.close[i + 30] / series.close[i]))
            #expect(dataset.features[r, 0] == log(series.close[i] / series.close[i - 1]))
            #expect(dataset.features[r, 2] == log(series.close[i] / series.close[i - 30]))
            for c in 0..<dataset.features.columns { #expect(dataset.features[r, c].isFinite) }
        }
    }

    @Test func gapsMakeLagsAndTargetsUndefinedRatherThanWrong() throws {
        // Remove minutes 300–309: rows needing a close in the hole are dropped.
        var series = SyntheticCandles.make(count: 600, seed: 13)
        let keep = series.openTime.indices.filter { !(300..<310).contains($0) }
        series = CandleSeries(
            openTime: keep.map { series.openTime[$0] }, open: keep.map { series.open[$0] },
            high: keep.map { series.high[$0] }, low: keep.map { series.low[$0] },
            close: keep.map { series.close[$0] }, volume: keep.map { series.volume[$0] })
        let config = DatasetConfiguration(horizonMinutes: 15, returnLagMinutes: [5], includeIndicators: false)
        let dataset = try Dataset(series: series, configuration: config)
        let minutes = Set(dataset.times.map { Int(($0 - SyntheticCandles.start) / minute) })
        for m in 285..<295 { #expect(!minutes.contains(m), "minute \(m) has its 15m target in the hole") }
        for m in 310..<325 { #expect(!minutes.contains(m), "minute \(m) has a lagged close in the hole") }
        // Rows right before the hole whose target lands after it are kept (lookups are by time).
        for m in [284] + Array(295..<300) + [325] { #expect(minutes.contains(m), "minute \(m) is complete") }
    }

    @Test func largerBarsKeepOnlyLagsTheyCanExpress() throws {
        // Every fifth one-minute candle stands in for a 5-minute series.
        let minutes = SyntheticCandles.make(count: 3000, seed: 16)
        let keep = Array(stride(from: 0, to: 3000, by: 5))
        let series = CandleSeries(
            openTime: keep.map { minutes.openTime[$0] }, open: keep.map { minutes.open[$0] },
            high: keep.map { minutes.high[$0] }, low: keep.map { minutes.low[$0] },
            close: keep.map { minutes.close[$0] }, volume: keep.map { minutes.volume[$0] })
        let dataset = try Dataset(series: series, configuration: DatasetConfiguration(horizonMinutes: 60))
        #expect(dataset.barMicros == 5 * minute)
        #expect(Array(dataset.featureNames.prefix(3)) == ["ret_5m", "ret_15m", "ret_60m"])
        // The target spans 12 bars.
        let i = Int((dataset.times[0] - series.openTime[0]) / (5 * minute))
        #expect(dataset.targets[0] == log(series.close[i + 12] / series.close[i]))
        #expect(throws: ForecastingError.self) { try Dataset(series: series, configuration: DatasetConfiguration(horizonMinutes: 7)) }
    }

    @Test func badSeriesGiveClearErrors() {
        let series = SyntheticCandles.make(count: 100, seed: 14)
        #expect(throws: ForecastingError.self) { try Dataset(series: SyntheticCandles.prefix(series, 1)) }
        var unsorted = series
        unsorted.openTime.swapAt(10, 11)
        #expect(throws: ForecastingError.self) { try Dataset(series: unsorted) }
        // 100 candles cannot fill the lookback and a 60-minute horizon.
        #expect(throws: ForecastingError.self) { try Dataset(series: series) }
        #expect(throws: ForecastingError.self) {
            try FeatureTable(series: series, names: ["ret_5m", "moon_phase"], barMicros: minute)
        }
    }

    @Test func fingerprintIsStableAndSensitive() throws {
        let series = SyntheticCandles.make(count: 800, seed: 15)
        let a = try Dataset(series: series)
        let b = try Dataset(series: series)
        #expect(a.fingerprint(rows: 0..<100) == b.fingerprint(rows: 0..<100))
        #expect(a.fingerprint(rows: 0..<100) != a.fingerprint(rows: 1..<101))
        #expect(a.fingerprint(rows: 0..<100).hasPrefix("fnv1a64:"))
        var hash = FNV1a64()
        hash.add(Array("a".utf8))
        #expect(hash.text == "fnv1a64:af63dc4c8601ec8c")  // FNV-1a 64 of "a", the published test vector
    }
}
