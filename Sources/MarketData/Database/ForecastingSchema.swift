import GRDB

/// The forecasting tables of `market.db` (migration ids start with `forecasting-`), used by
/// `Forecasting`'s model registry through ``MarketDatabase``:
/// `forecasting_models` (one row per model version), `forecasting_best_models` (the chosen model
/// per symbol and horizon), `predictions` and `forecasting_live_metrics`.
/// Never edit a shipped migration: add a new one.
enum ForecastingSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("forecasting-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE forecasting_models (
                        id TEXT PRIMARY KEY NOT NULL,
                        symbol TEXT NOT NULL,
                        horizon_minutes INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        training_run TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        features TEXT NOT NULL,
                        parameters TEXT NOT NULL,
                        train_start INTEGER NOT NULL,
                        train_end INTEGER NOT NULL,
                        train_rows INTEGER NOT NULL,
                        data_fingerprint TEXT NOT NULL,
                        artifact_path TEXT NOT NULL,
                        artifact_checksum TEXT NOT NULL,
                        val_count INTEGER NOT NULL, val_mse REAL NOT NULL, val_mae REAL NOT NULL,
                        val_r2 REAL NOT NULL, val_direction REAL NOT NULL,
                        base_mse REAL NOT NULL, base_mae REAL NOT NULL,
                        base_r2 REAL NOT NULL, base_direction REAL NOT NULL,
                        UNIQUE (symbol, horizon_minutes, kind, version)
                    );
                    CREATE INDEX forecasting_models_by_symbol ON forecasting_models (symbol, horizon_minutes);
                    CREATE TABLE forecasting_best_models (
                        symbol TEXT NOT NULL,
                        horizon_minutes INTEGER NOT NULL,
                        model_id TEXT NOT NULL REFERENCES forecasting_models (id),
                        metric TEXT NOT NULL,
                        value REAL NOT NULL,
                        chosen_at INTEGER NOT NULL,
                        PRIMARY KEY (symbol, horizon_minutes)
                    );
                    CREATE TABLE predictions (
                        symbol TEXT NOT NULL,
                        time INTEGER NOT NULL,
                        horizon_minutes INTEGER NOT NULL,
                        model_version TEXT NOT NULL REFERENCES forecasting_models (id),
                        prediction REAL NOT NULL,
                        target_time INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        realised REAL,
                        scored_at INTEGER,
                        PRIMARY KEY (symbol, time, horizon_minutes, model_version)
                    );
                    CREATE INDEX predictions_unscored ON predictions (symbol, scored_at);
                    CREATE TABLE forecasting_live_metrics (
                        model_version TEXT PRIMARY KEY NOT NULL REFERENCES forecasting_models (id),
                        count INTEGER NOT NULL,
                        sum_squared_error REAL NOT NULL,
                        sum_absolute_error REAL NOT NULL,
                        sum_actual REAL NOT NULL,
                        sum_actual_squared REAL NOT NULL,
                        direction_points REAL NOT NULL,
                        direction_rows INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    """)
        }
    }

    /// Models record the candle interval they were trained on (`training`'s `interval` param), and
    /// the best model is chosen per symbol, interval and horizon. Existing models are 1-minute ones.
    /// Versions still count per symbol, horizon and kind (the table's unique key), across intervals.
    static func registerInterval(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("forecasting-v2-interval") { db in
            try db.execute(
                sql: """
                    ALTER TABLE forecasting_models ADD COLUMN interval TEXT NOT NULL DEFAULT '1m';
                    CREATE TABLE forecasting_best_models_v2 (
                        symbol TEXT NOT NULL,
                        interval TEXT NOT NULL DEFAULT '1m',
                        horizon_minutes INTEGER NOT NULL,
                        model_id TEXT NOT NULL REFERENCES forecasting_models (id),
                        metric TEXT NOT NULL,
                        value REAL NOT NULL,
                        chosen_at INTEGER NOT NULL,
                        PRIMARY KEY (symbol, interval, horizon_minutes)
                    );
                    INSERT INTO forecasting_best_models_v2 (symbol, interval, horizon_minutes, model_id, metric, value, chosen_at)
                        SELECT symbol, '1m', horizon_minutes, model_id, metric, value, chosen_at FROM forecasting_best_models;
                    DROP TABLE forecasting_best_models;
                    ALTER TABLE forecasting_best_models_v2 RENAME TO forecasting_best_models;
                    """)
        }
    }
}
