import GRDB
import MarketData

/// What the registry knows about one trained model version.
public struct ModelRecord: Sendable, Codable, Equatable {
    /// Version id, `<SYMBOL>-<horizon>m-<kind>-v<N>` for a 1-minute model, e.g. `BTCUSDT-60m-ridge-v3`,
    /// and `<SYMBOL>-<interval>-<horizon>m-<kind>-v<N>` for another interval, e.g. `BTCUSDT-5m-60m-ridge-v4`.
    public var id: String
    /// Trading pair, e.g. `BTCUSDT`.
    public var symbol: String
    /// The candle interval it was trained on (`training`'s `interval` param), e.g. `1m`, `5m`.
    public var interval: KlineInterval
    /// Forecast horizon in minutes.
    public var horizonMinutes: Int
    /// Model family.
    public var kind: ModelKind
    /// Version number within (symbol, horizon, kind), from 1.
    public var version: Int
    /// Id of the `train` call that produced it (all models of one call share it).
    public var trainingRun: String
    /// Registration time, µs since the epoch.
    public var createdAt: Int64
    /// Feature names, in column order.
    public var features: [String]
    /// Hyperparameters as text, e.g. `["alpha": "1.0"]`.
    public var parameters: [String: String]
    /// Open time of the first training row, µs.
    public var trainStart: Int64
    /// Open time of the last training row, µs.
    public var trainEnd: Int64
    /// Number of training rows.
    public var trainRows: Int
    /// `fnv1a64:<16 hex>` over the training rows (times, feature and target bit patterns).
    public var dataFingerprint: String
    /// Artifact path relative to the home directory, e.g. `models/BTCUSDT-60m-ridge-v3.json`.
    public var artifactPath: String
    /// `fnv1a64:<16 hex>` of the artifact file's bytes.
    public var artifactChecksum: String
    /// Walk-forward validation metrics of this model.
    public var validation: ForecastMetrics
    /// The zero-return baseline's metrics on the same validation rows.
    public var baseline: ForecastMetrics
}

extension ModelRecord {
    init(row: Row) throws {
        let kindText: String = row["kind"]
        guard let kind = ModelKind(rawValue: kindText) else {
            throw ForecastingError.unknownModel("\(row["id"] as String) has unknown kind \(kindText)")
        }
        id = row["id"]
        symbol = row["symbol"]
        let intervalText: String = row["interval"]
        guard let interval = KlineInterval(name: intervalText) else {
            throw ForecastingError.unknownModel("\(row["id"] as String) has unknown interval \(intervalText)")
        }
        self.interval = interval
        horizonMinutes = row["horizon_minutes"]
        self.kind = kind
        version = row["version"]
        trainingRun = row["training_run"]
        createdAt = row["created_at"]
        features = try JSONText.decode([String].self, row["features"])
        parameters = try JSONText.decode([String: String].self, row["parameters"])
        trainStart = row["train_start"]
        trainEnd = row["train_end"]
        trainRows = row["train_rows"]
        dataFingerprint = row["data_fingerprint"]
        artifactPath = row["artifact_path"]
        artifactChecksum = row["artifact_checksum"]
        let count: Int = row["val_count"]
        validation = ForecastMetrics(
            count: count, mse: row["val_mse"], mae: row["val_mae"], r2: row["val_r2"],
            directionalAccuracy: row["val_direction"])
        baseline = ForecastMetrics(
            count: count, mse: row["base_mse"], mae: row["base_mae"], r2: row["base_r2"],
            directionalAccuracy: row["base_direction"])
    }

    func insert(_ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO forecasting_models (id, symbol, interval, horizon_minutes, kind, version, training_run, created_at,
                    features, parameters, train_start, train_end, train_rows, data_fingerprint, artifact_path,
                    artifact_checksum, val_count, val_mse, val_mae, val_r2, val_direction,
                    base_mse, base_mae, base_r2, base_direction)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, symbol, interval.rawValue, horizonMinutes, kind.rawValue, version, trainingRun, createdAt,
                try JSONText.encode(features), try JSONText.encode(parameters), trainStart, trainEnd, trainRows,
                dataFingerprint, artifactPath, artifactChecksum, validation.count, validation.mse, validation.mae,
                validation.r2, validation.directionalAccuracy, baseline.mse, baseline.mae, baseline.r2,
                baseline.directionalAccuracy,
            ])
    }
}
