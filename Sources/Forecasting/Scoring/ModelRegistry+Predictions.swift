import GRDB
import MarketData

extension ModelRegistry {
    /// Predictions, newest first (optionally of one symbol), at most `limit`.
    public func predictions(symbol: String? = nil, limit: Int? = nil) throws -> [PredictionRecord] {
        try database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM predictions WHERE (?1 IS NULL OR symbol = ?1)
                    ORDER BY time DESC, symbol, horizon_minutes, model_version LIMIT ?2
                    """, arguments: [symbol, limit ?? -1]
            ).map(PredictionRecord.init(row:))
        }
    }

    /// The newest `limit` predictions of `symbol` made at times in [from, to) (µs), oldest
    /// first; only those of `modelVersion` when given, only matured and scored ones with
    /// `scoredOnly`. The market page draws them beside what happened; the models page computes
    /// drift from the scored ones.
    ///
    /// ```swift
    /// let recent = try registry.predictions(symbol: "BTCUSDT", from: start, to: end, limit: 10_000)
    /// ```
    public func predictions(
        symbol: String, from: Int64, to: Int64, modelVersion: String? = nil, scoredOnly: Bool = false, limit: Int
    ) throws -> [PredictionRecord] {
        try database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM predictions
                    WHERE symbol = ?1 AND time >= ?2 AND time < ?3 AND (?4 IS NULL OR model_version = ?4)
                        AND (?5 = 0 OR scored_at IS NOT NULL)
                    ORDER BY time DESC, horizon_minutes, model_version LIMIT ?6
                    """, arguments: [symbol, from, to, modelVersion, scoredOnly, limit]
            ).map(PredictionRecord.init(row:)).reversed()
        }
    }

    /// The newest prediction of every symbol and horizon, by symbol then horizon. When several
    /// models predicted at that time, the symbol's best model's prediction wins (else the first
    /// model version by name).
    public func latestPredictions() throws -> [PredictionRecord] {
        try database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT p.* FROM predictions p
                    JOIN (SELECT symbol, horizon_minutes, MAX(time) AS time FROM predictions GROUP BY symbol, horizon_minutes) l
                        ON l.symbol = p.symbol AND l.horizon_minutes = p.horizon_minutes AND l.time = p.time
                    LEFT JOIN forecasting_best_models b
                        ON b.symbol = p.symbol AND b.horizon_minutes = p.horizon_minutes AND b.model_id = p.model_version
                    ORDER BY p.symbol, p.horizon_minutes, b.model_id IS NULL, p.model_version
                    """
            ).map(PredictionRecord.init(row:))
        }.reduce(into: [PredictionRecord]()) { kept, prediction in
            if let last = kept.last, last.symbol == prediction.symbol, last.horizonMinutes == prediction.horizonMinutes { return }
            kept.append(prediction)
        }
    }

    /// Live metrics of a model version from its scored predictions, or nil when none matured yet.
    public func liveMetrics(modelVersion: String) throws -> MetricSums? {
        try database.writer.read { db in try Self.liveSums(db, modelVersion: modelVersion) }
    }

    static func liveSums(_ db: Database, modelVersion: String) throws -> MetricSums? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM forecasting_live_metrics WHERE model_version = ?",
                arguments: [modelVersion])
        else { return nil }
        var sums = MetricSums()
        sums.count = row["count"]
        sums.sumSquaredError = row["sum_squared_error"]
        sums.sumAbsoluteError = row["sum_absolute_error"]
        sums.sumActual = row["sum_actual"]
        sums.sumActualSquared = row["sum_actual_squared"]
        sums.directionPoints = row["direction_points"]
        sums.directionRows = row["direction_rows"]
        return sums
    }

    /// Newest prediction time of a model for a symbol and horizon.
    func latestPredictionTime(symbol: String, horizonMinutes: Int, modelVersion: String) throws -> Int64? {
        try database.writer.read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT MAX(time) FROM predictions WHERE symbol = ? AND horizon_minutes = ? AND model_version = ?
                    """, arguments: [symbol, horizonMinutes, modelVersion])
        }
    }

    /// Predictions of a symbol by models of `interval` not yet scored whose target candle opened at
    /// or before `through` (another interval's predictions are scored against its own candles).
    func unscoredPredictions(symbol: String, interval: KlineInterval = .oneMinute, through: Int64) throws -> [PredictionRecord] {
        try database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM predictions WHERE symbol = ? AND scored_at IS NULL AND target_time <= ?
                        AND model_version IN (SELECT id FROM forecasting_models WHERE symbol = ? AND interval = ?)
                    ORDER BY time, horizon_minutes, model_version
                    """, arguments: [symbol, through, symbol, interval.rawValue]
            ).map(PredictionRecord.init(row:))
        }
    }

    /// Writes new predictions, marks matured ones scored and adds them to the live metrics,
    /// all in one transaction. Returns the live metrics of every model that scored a row.
    func record(new: [PredictionRecord], scored: [PredictionRecord], at now: Int64) throws -> [String: ForecastMetrics] {
        try database.writer.write { db in
            for p in new {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO predictions (symbol, time, horizon_minutes, model_version, prediction,
                            target_time, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [p.symbol, p.time, p.horizonMinutes, p.modelVersion, p.prediction, p.targetTime, p.createdAt])
            }
            var touched = [String: MetricSums]()
            for p in scored {
                guard let realised = p.realised else { continue }
                try db.execute(
                    sql: """
                        UPDATE predictions SET realised = ?, scored_at = ?
                        WHERE symbol = ? AND time = ? AND horizon_minutes = ? AND model_version = ? AND scored_at IS NULL
                        """, arguments: [realised, now, p.symbol, p.time, p.horizonMinutes, p.modelVersion])
                guard db.changesCount == 1 else { continue }
                if touched[p.modelVersion] == nil {
                    touched[p.modelVersion] = try Self.liveSums(db, modelVersion: p.modelVersion) ?? MetricSums()
                }
                touched[p.modelVersion]!.add(prediction: p.prediction, actual: realised)
            }
            for (version, sums) in touched {
                try db.execute(
                    sql: """
                        INSERT INTO forecasting_live_metrics (model_version, count, sum_squared_error, sum_absolute_error,
                            sum_actual, sum_actual_squared, direction_points, direction_rows, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (model_version) DO UPDATE SET count = excluded.count,
                            sum_squared_error = excluded.sum_squared_error, sum_absolute_error = excluded.sum_absolute_error,
                            sum_actual = excluded.sum_actual, sum_actual_squared = excluded.sum_actual_squared,
                            direction_points = excluded.direction_points, direction_rows = excluded.direction_rows,
                            updated_at = excluded.updated_at
                        """,
                    arguments: [
                        version, sums.count, sums.sumSquaredError, sums.sumAbsoluteError, sums.sumActual,
                        sums.sumActualSquared, sums.directionPoints, sums.directionRows, now,
                    ])
            }
            return touched.mapValues(\.metrics)
        }
    }
}
