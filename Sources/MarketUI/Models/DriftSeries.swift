import Forecasting

/// Drift over time, as `updraft models show` defines it: the live MSE over the validation MSE,
/// here on a rolling window of the last ``window`` scored predictions (1.0: live error as
/// validated; above: the model does worse than validation promised). Live errors come from
/// ``ForecastMetrics`` over the window, the library's own metric.
///
/// ```swift
/// let drift = DriftSeries(scored: predictions, validationMSE: model.validation.mse)
/// drift.points.last?.ratio
/// ```
struct DriftSeries: Sendable, Equatable {
    /// One window's drift, at the target time (µs) of its newest prediction.
    struct Point: Sendable, Equatable {
        var time: Int64
        var ratio: Double
    }

    /// Scored predictions per window (fewer when fewer exist).
    static let window = 60
    /// Points kept (evenly spaced; the newest always kept).
    static let maximumPoints = 300

    let points: [Point]
    let window: Int

    /// The series of `scored` (scored predictions, oldest first) against `validationMSE`; empty
    /// when the validation MSE is zero or nothing is scored.
    init(scored: [PredictionRecord], validationMSE: Double, window: Int = DriftSeries.window) {
        let rows = scored.filter { $0.realised != nil }.sorted { $0.targetTime < $1.targetTime }
        let size = min(window, rows.count)
        self.window = size
        guard size > 0, validationMSE > 0 else { points = []; return }
        let ends = Array((size - 1)..<rows.count)
        let stride = max(1, (ends.count + Self.maximumPoints - 1) / Self.maximumPoints)
        var kept = Swift.stride(from: ends.count - 1, through: 0, by: -stride).map { ends[$0] }.reversed() as [Int]
        if kept.isEmpty { kept = [rows.count - 1] }
        points = kept.map { end in
            let slice = rows[(end - size + 1)...end]
            let metrics = ForecastMetrics(predictions: slice.map(\.prediction), actuals: slice.map { $0.realised! })
            return Point(time: rows[end].targetTime, ratio: metrics.mse / validationMSE)
        }
    }
}
