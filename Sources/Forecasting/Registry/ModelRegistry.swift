import Foundation
import GRDB
import MarketData

/// Trained model versions: artifact files under `<home>/models/`, metadata in `<home>/market.db`.
///
/// ```swift
/// let registry = try ModelRegistry(home: "runs")
/// let best = try registry.bestModel(symbol: "BTCUSDT", horizonMinutes: 60)
/// ```
public struct ModelRegistry: Sendable {
    /// The home directory (`--home`, `UPDRAFT_HOME`, default `./runs`).
    public let home: URL
    /// The owner of `market.db`, shared with the warehouse.
    public let database: MarketDatabase

    /// The metric that chooses the best model: the lowest walk-forward validation MSE.
    public static let selectionMetric = "validation_mse"

    /// The registry over `database` (its forecasting tables), with artifacts under `<home>/models/`
    /// (created if needed).
    public init(database: MarketDatabase, home: String) throws {
        self.home = URL(fileURLWithPath: home, isDirectory: true)
        try FileManager.default.createDirectory(at: self.home.appendingPathComponent("models"), withIntermediateDirectories: true)
        self.database = database
    }

    /// Opens the registry with its own ``MarketDatabase`` on `<home>/market.db`: for a command or a
    /// test that uses the registry alone.
    public init(home: String) throws {
        try self.init(database: try MarketDatabase(home: home), home: home)
    }

    /// Registers a training run's models in one transaction: writes each artifact atomically,
    /// inserts its record with the next version number, and makes the candidate with the
    /// lowest validation MSE (the first on ties) the best model for the symbol and horizon.
    /// On failure nothing is registered and the artifacts written are removed.
    /// - Returns: the records in candidate order, and the best one.
    public func register(
        symbol: String, interval: KlineInterval = .oneMinute, horizonMinutes: Int, features: [String], window: TrainingWindow,
        candidates: [ModelCandidate], createdAt: Int64
    ) throws -> (models: [ModelRecord], best: ModelRecord) {
        guard !candidates.isEmpty else { throw ForecastingError.trainingFailed("\(symbol): no models to register") }
        // 1-minute models keep the ids of before intervals; others name theirs.
        let prefix = interval == .oneMinute ? symbol : "\(symbol)-\(interval.rawValue)"
        let run = "\(prefix)-\(horizonMinutes)m-\(createdAt)"
        var written = [URL]()
        do {
            return try database.writer.write { db in
                var records = [ModelRecord]()
                for candidate in candidates {
                    let kind = candidate.model.kind
                    let last =
                        try Int.fetchOne(
                            db,
                            sql: """
                                SELECT MAX(version) FROM forecasting_models WHERE symbol = ? AND horizon_minutes = ? AND kind = ?
                                """, arguments: [symbol, horizonMinutes, kind.rawValue]) ?? 0
                    let id = "\(prefix)-\(horizonMinutes)m-\(kind.rawValue)-v\(last + 1)"
                    let path = "models/\(id).json"
                    let url = home.appendingPathComponent(path)
                    let artifact = ModelArtifact(
                        id: id, symbol: symbol, horizonMinutes: horizonMinutes,
                        features: features, model: candidate.model)
                    written.append(url)
                    let checksum = try artifact.write(to: url)
                    let record = ModelRecord(
                        id: id, symbol: symbol, interval: interval, horizonMinutes: horizonMinutes, kind: kind, version: last + 1,
                        trainingRun: run, createdAt: createdAt, features: features, parameters: candidate.parameters,
                        trainStart: window.start, trainEnd: window.end, trainRows: window.rows,
                        dataFingerprint: window.fingerprint, artifactPath: path, artifactChecksum: checksum,
                        validation: candidate.validation, baseline: candidate.baseline)
                    try record.insert(db)
                    records.append(record)
                }
                var best = records[0]
                for record in records.dropFirst() where record.validation.mse < best.validation.mse { best = record }
                try db.execute(
                    sql: """
                        INSERT INTO forecasting_best_models (symbol, interval, horizon_minutes, model_id, metric, value, chosen_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (symbol, interval, horizon_minutes) DO UPDATE SET
                            model_id = excluded.model_id, metric = excluded.metric, value = excluded.value,
                            chosen_at = excluded.chosen_at
                        """,
                    arguments: [symbol, interval.rawValue, horizonMinutes, best.id, Self.selectionMetric, best.validation.mse, createdAt])
                return (records, best)
            }
        } catch {
            for url in written { try? FileManager.default.removeItem(at: url) }
            throw error
        }
    }

    /// All registered models (optionally of one symbol), newest first.
    public func models(symbol: String? = nil) throws -> [ModelRecord] {
        try database.writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM forecasting_models WHERE (?1 IS NULL OR symbol = ?1)
                    ORDER BY symbol, horizon_minutes, created_at DESC, version DESC, kind
                    """, arguments: [symbol])
            return try rows.map(ModelRecord.init(row:))
        }
    }

    /// One model version.
    /// - Throws: ``ForecastingError/unknownModel(_:)`` when it is not registered.
    public func model(id: String) throws -> ModelRecord {
        let row = try database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM forecasting_models WHERE id = ?", arguments: [id])
        }
        guard let row else { throw ForecastingError.unknownModel(id) }
        return try ModelRecord(row: row)
    }

    /// The best model for a symbol, interval and horizon, or nil when none was trained.
    public func bestModel(symbol: String, interval: KlineInterval = .oneMinute, horizonMinutes: Int) throws -> ModelRecord? {
        let row = try database.writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT m.* FROM forecasting_best_models b JOIN forecasting_models m ON m.id = b.model_id
                    WHERE b.symbol = ? AND b.interval = ? AND b.horizon_minutes = ?
                    """, arguments: [symbol, interval.rawValue, horizonMinutes])
        }
        return try row.map(ModelRecord.init(row:))
    }

    /// The best model of every symbol, interval and horizon (optionally of one symbol), by symbol,
    /// horizon, then interval.
    public func bestModels(symbol: String? = nil) throws -> [ModelRecord] {
        try database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT m.* FROM forecasting_best_models b JOIN forecasting_models m ON m.id = b.model_id
                    WHERE (?1 IS NULL OR b.symbol = ?1) ORDER BY b.symbol, b.horizon_minutes, b.interval = '1m' DESC, b.interval
                    """, arguments: [symbol]
            ).map(ModelRecord.init(row:))
        }
    }

    /// Ids of every model that is currently the best for its symbol and horizon.
    public func bestModelIDs() throws -> Set<String> {
        try database.writer.read { db in Set(try String.fetchAll(db, sql: "SELECT model_id FROM forecasting_best_models")) }
    }

    /// Reads and checks a model's artifact.
    /// - Throws: ``ForecastingError/modelFileMissing(version:path:)``,
    ///   ``ForecastingError/modelFileCorrupt(version:path:reason:)`` or
    ///   ``ForecastingError/featuresDoNotMatch(version:reason:)``, each naming the version.
    public func artifact(of record: ModelRecord) throws -> ModelArtifact {
        try ModelArtifact.read(record, home: home)
    }
}
