import Foundation
import MarketData

extension Forecaster {
    /// Predicts with the best model for `symbol`, `interval` (that of `candles`) and `horizonMinutes`
    /// for the latest closed candles not predicted yet (at most `maxNewPredictions`), and scores every
    /// earlier prediction of `symbol` by a model of that interval whose target candle is now in
    /// `candles`, updating live metrics.
    /// A candle counts as closed when `openTime + bar ≤ now`. Everything is written in one
    /// transaction, after the model has loaded: a missing or corrupt model file, or features
    /// that do not match, throw an error naming the model version and write nothing.
    /// Features are computed over the latest `maxNewPredictions + warmupBars` closed candles
    /// plus the longest return lag (the exponential indicators forget older candles long
    /// before 1,000 bars), so scoring cost does not grow with the history passed in.
    public func score(
        symbol: String, interval: KlineInterval = .oneMinute, candles: CandleSeries, now: Date, horizonMinutes: Int = 60,
        maxNewPredictions: Int = 60, warmupBars: Int = 1000
    ) throws -> ScoringResult {
        guard let record = try registry.bestModel(symbol: symbol, interval: interval, horizonMinutes: horizonMinutes) else {
            throw ForecastingError.noModel(symbol: symbol, horizonMinutes: horizonMinutes)
        }
        let artifact = try registry.artifact(of: record)
        let unknown = artifact.features.filter { !FeatureCatalogue.isKnown($0) }
        guard unknown.isEmpty else {
            throw ForecastingError.featuresDoNotMatch(version: record.id, reason: "cannot compute \(unknown.joined(separator: ", "))")
        }
        let nowMicros = Int64((now.timeIntervalSince1970 * 1_000_000).rounded())
        let closed = try Self.closedCandles(candles, now: nowMicros)
        let horizonMicros = Int64(horizonMinutes) * 60_000_000

        var written = [PredictionRecord]()
        if closed.count >= 2 {
            let after = try registry.latestPredictionTime(symbol: symbol, horizonMinutes: horizonMinutes, modelVersion: record.id)
            let bar = try Dataset.barInterval(closed)
            let longestLag = artifact.features.compactMap(FeatureCatalogue.returnLag).max() ?? 0
            let needed = maxNewPredictions + warmupBars + Int(Int64(longestLag) * 60_000_000 / bar) + 1
            let recent = closed.count > needed ? Self.tail(closed, needed) : closed
            let rows = try Dataset.latestFeatureRows(
                series: recent, featureNames: artifact.features, after: after,
                limit: maxNewPredictions)
            let predictions = artifact.model.predict(rows.features)
            for (time, prediction) in zip(rows.times, predictions) {
                guard prediction.isFinite else {
                    throw ForecastingError.featuresDoNotMatch(version: record.id, reason: "non-finite prediction at \(time)")
                }
                written.append(
                    PredictionRecord(
                        symbol: symbol, time: time, horizonMinutes: horizonMinutes, modelVersion: record.id,
                        prediction: prediction, targetTime: time + horizonMicros, createdAt: nowMicros))
            }
        }

        var scored = [PredictionRecord]()
        if let lastClosed = closed.openTime.last {
            for var p in try registry.unscoredPredictions(symbol: symbol, interval: interval, through: lastClosed) {
                guard let start = Self.close(of: closed, at: p.time), let end = Self.close(of: closed, at: p.targetTime) else { continue }
                p.realised = log(end / start)
                p.scoredAt = nowMicros
                scored.append(p)
            }
        }
        let live = try registry.record(new: written, scored: scored, at: nowMicros)
        return ScoringResult(model: record, written: written, scored: scored, liveMetrics: live)
    }

    /// The close of the candle opened at `time` (binary search), or nil when there is none.
    static func close(of series: CandleSeries, at time: Int64) -> Double? {
        var lo = 0
        var hi = series.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if series.openTime[mid] < time { lo = mid + 1 } else { hi = mid }
        }
        return lo < series.count && series.openTime[lo] == time ? series.close[lo] : nil
    }

    /// The last `count` candles.
    static func tail(_ series: CandleSeries, _ count: Int) -> CandleSeries {
        let start = series.count - count
        return CandleSeries(
            openTime: Array(series.openTime[start...]), open: Array(series.open[start...]),
            high: Array(series.high[start...]), low: Array(series.low[start...]),
            close: Array(series.close[start...]), volume: Array(series.volume[start...]))
    }

    /// The candles closed by `now` (µs): those with `openTime + bar ≤ now`.
    static func closedCandles(_ series: CandleSeries, now: Int64) throws -> CandleSeries {
        guard series.count >= 2 else { return series }
        let bar = try Dataset.barInterval(series)
        var end = series.count
        while end > 0 && series.openTime[end - 1] + bar > now { end -= 1 }
        if end == series.count { return series }
        return CandleSeries(
            openTime: Array(series.openTime[..<end]), open: Array(series.open[..<end]),
            high: Array(series.high[..<end]), low: Array(series.low[..<end]),
            close: Array(series.close[..<end]), volume: Array(series.volume[..<end]))
    }
}
