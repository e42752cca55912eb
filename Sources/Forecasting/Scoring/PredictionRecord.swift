import GRDB

/// One row of the `predictions` table.
public struct PredictionRecord: Sendable, Codable, Equatable {
    /// Trading pair.
    public var symbol: String
    /// Open time (µs) of the candle whose close the prediction was made at.
    public var time: Int64
    /// Horizon in minutes.
    public var horizonMinutes: Int
    /// The model version that made it.
    public var modelVersion: String
    /// Predicted log return from `time`'s close to the close `horizon` later.
    public var prediction: Double
    /// Open time (µs) of the candle whose close realises it: `time + horizon`.
    public var targetTime: Int64
    /// When it was written, µs.
    public var createdAt: Int64
    /// The realised log return, once matured and scored.
    public var realised: Double?
    /// When it was scored, µs.
    public var scoredAt: Int64?

    /// A prediction with explicit values.
    public init(
        symbol: String, time: Int64, horizonMinutes: Int, modelVersion: String, prediction: Double,
        targetTime: Int64, createdAt: Int64, realised: Double? = nil, scoredAt: Int64? = nil
    ) {
        self.symbol = symbol
        self.time = time
        self.horizonMinutes = horizonMinutes
        self.modelVersion = modelVersion
        self.prediction = prediction
        self.targetTime = targetTime
        self.createdAt = createdAt
        self.realised = realised
        self.scoredAt = scoredAt
    }

    init(row: Row) {
        self.init(
            symbol: row["symbol"], time: row["time"], horizonMinutes: row["horizon_minutes"],
            modelVersion: row["model_version"], prediction: row["prediction"], targetTime: row["target_time"],
            createdAt: row["created_at"], realised: row["realised"], scoredAt: row["scored_at"])
    }
}
