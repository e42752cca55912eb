import Forecasting
import Foundation

/// One model version as the models pages show it: its registry record, whether it is the best of
/// its symbol and horizon, its live metrics and its drift, read with the registry functions
/// `updraft models show` uses.
struct ModelStanding: Sendable {
    let model: ModelRecord
    let isBest: Bool
    let live: ForecastMetrics?
    let drift: DriftSeries

    /// Skill against the zero-return baseline, as the models API reports it: 1 − MSE ÷ baseline MSE.
    var skill: Double? { model.baseline.mse > 0 ? 1 - model.validation.mse / model.baseline.mse : nil }

    /// Live MSE over validation MSE over every scored prediction, `models show`'s drift.
    var overallDrift: Double? {
        guard let live, model.validation.mse > 0 else { return nil }
        return live.mse / model.validation.mse
    }

    /// Scored predictions read per model for its drift chart (the newest).
    static let scoredLimit = 5_000

    /// The standings of `symbol`'s models (every symbol's when nil), in the registry's order.
    static func read(symbol: String?, registry: ModelRegistry) throws -> [ModelStanding] {
        let best = try registry.bestModelIDs()
        return try registry.models(symbol: symbol).map { model in
            let scored = try registry.predictions(
                symbol: model.symbol, from: .min, to: .max, modelVersion: model.id, scoredOnly: true, limit: scoredLimit)
            return ModelStanding(
                model: model, isBest: best.contains(model.id), live: try registry.liveMetrics(modelVersion: model.id)?.metrics,
                drift: DriftSeries(scored: scored, validationMSE: model.validation.mse))
        }
    }
}

/// Metric values as `updraft models` prints them (`%.4g`).
enum MetricText {
    static func number(_ value: Double) -> String { String(format: "%.4g", value) }
    static func ratio(_ value: Double) -> String { String(format: "%.2f", value) }
}
