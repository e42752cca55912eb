/// What one `score` call did.
public struct ScoringResult: Sendable {
    /// The model that made the new predictions.
    public var model: ModelRecord
    /// Predictions written by this call (latest candles not predicted before).
    public var written: [PredictionRecord]
    /// Earlier predictions that matured and were scored by this call.
    public var scored: [PredictionRecord]
    /// Live metrics after this call, per model version that scored a prediction.
    public var liveMetrics: [String: ForecastMetrics]
}
