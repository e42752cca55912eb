import Foundation
import MarketData

extension Forecaster {
    /// Predicts with the best model for `symbol` and `horizonMinutes` for the latest closed
    /// candles not predicted yet (at most `maxNewPredictions`), and scores every earlier
    /// prediction of `symbol` whose target candle is now in `candles`, updating live metrics.
    /// A candle counts as closed when `openTime + bar ≤ now`. Everything is written in one
    /// transaction, after the model has loaded: a missing or corrupt model file, or features
    /// that do not match, throw an error naming the model version and write nothing.
    public func score(symbol: String, candles: CandleSeries, now: Date, horizonMinutes: Int = 60,
                      maxNewPredictions: Int = 60) throws -> ScoringResult {
        guard let record = try registry.bestModel(symbol: symbol, horizonMinutes: horizonMinutes) else {
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
            let rows = try Dataset.latestFeatureRows(series: closed, featureNames: artifact.features, after: after,
                                                     limit: maxNewPredictions)
            let predictions = artifact.model.predict(rows.features)
            for (time, prediction) in zip(rows.times, predictions) {
                guard prediction.isFinite else {
                    throw ForecastingError.featuresDoNotMatch(version: record.id, reason: "non-finite prediction at \(time)")
                }
                written.append(PredictionRecord(symbol: symbol, time: time, horizonMinutes: horizonMinutes, modelVersion: record.id,
                                                prediction: prediction, targetTime: time + horizonMicros, createdAt: nowMicros))
            }
        }

        var scored = [PredictionRecord]()
        if let lastClosed = closed.openTime.last {
            var closeAt = [Int64: Double](minimumCapacity: closed.count)
            for (t, c) in zip(closed.openTime, closed.close) { closeAt[t] = c }
            for var p in try registry.unscoredPredictions(symbol: symbol, through: lastClosed) {
                guard let start = closeAt[p.time], let end = closeAt[p.targetTime] else { continue }
                p.realised = log(end / start)
                p.scoredAt = nowMicros
                scored.append(p)
            }
        }
        let live = try registry.record(new: written, scored: scored, at: nowMicros)
        return ScoringResult(model: record, written: written, scored: scored, liveMetrics: live)
    }

    /// The candles closed by `now` (µs): those with `openTime + bar ≤ now`.
    static func closedCandles(_ series: CandleSeries, now: Int64) throws -> CandleSeries {
        guard series.count >= 2 else { return series }
        let bar = try Dataset.barInterval(series)
        var end = series.count
        while end > 0 && series.openTime[end - 1] + bar > now { end -= 1 }
        if end == series.count { return series }
        return CandleSeries(openTime: Array(series.openTime[..<end]), open: Array(series.open[..<end]),
                            high: Array(series.high[..<end]), low: Array(series.low[..<end]),
                            close: Array(series.close[..<end]), volume: Array(series.volume[..<end]))
    }
}
