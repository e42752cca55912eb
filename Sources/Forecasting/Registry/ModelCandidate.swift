/// A fitted model with its validation results, ready to be registered.
public struct ModelCandidate: Sendable {
    /// The fitted model (trained on the whole training window).
    public var model: ForecastModel
    /// Hyperparameters as text, for the registry.
    public var parameters: [String: String]
    /// Walk-forward validation metrics.
    public var validation: ForecastMetrics
    /// The zero baseline's metrics on the same validation rows.
    public var baseline: ForecastMetrics

    /// A candidate.
    public init(model: ForecastModel, parameters: [String: String], validation: ForecastMetrics, baseline: ForecastMetrics) {
        self.model = model
        self.parameters = parameters
        self.validation = validation
        self.baseline = baseline
    }
}

/// The rows a model was trained on: their time span, count and fingerprint.
public struct TrainingWindow: Sendable, Codable, Equatable {
    /// Open time of the first training row, µs.
    public var start: Int64
    /// Open time of the last training row, µs.
    public var end: Int64
    /// Number of rows.
    public var rows: Int
    /// `fnv1a64:<16 hex>` of the rows.
    public var fingerprint: String

    /// A window with explicit values.
    public init(start: Int64, end: Int64, rows: Int, fingerprint: String) {
        self.start = start
        self.end = end
        self.rows = rows
        self.fingerprint = fingerprint
    }
}
