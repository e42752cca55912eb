import GRDB

/// The `indicators` DAG's tables of `market.db` (migration ids start with `indicators-`):
///
/// - `indicators_1m`: one row per 1-minute candle of a symbol with the fifteen standard outputs;
///   NULL where TA-Lib has no value yet (the lookback).
/// - `indicators_<interval>` (`indicators-v2-intervals`): the same per complete bucket of each
///   resampled interval (`indicators_5m` over `tickerdata_5m`, …).
/// - `indicator_state`: where each symbol's computation stands (the last candle included, how
///   many candles since the first, and the indicators' incremental state when it can be stored).
///
/// Never edit a shipped migration: add a new one.
public enum IndicatorSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("indicators-v1") { db in
            try db.execute(
                sql: createTable("indicators_1m") + """
                    ;
                    CREATE TABLE indicator_state (
                        symbol TEXT NOT NULL,
                        interval TEXT NOT NULL,
                        first_open_time INTEGER NOT NULL,
                        last_open_time INTEGER NOT NULL,
                        bars INTEGER NOT NULL,
                        state BLOB,
                        updated_at INTEGER NOT NULL,
                        PRIMARY KEY (symbol, interval)
                    ) WITHOUT ROWID;
                    """)
        }
    }

    /// Tables of the resampled intervals' indicators: one per interval, shaped as `indicators_1m`,
    /// so a read names its interval by its table as the candles do (`tickerdata_5m`).
    static func registerIntervals(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("indicators-v2-intervals") { db in
            for interval in KlineWarehouse.resampledIntervals {
                try db.execute(sql: createTable(tableName(interval)))
            }
        }
    }

    /// One interval's indicator table: a row per candle with the fifteen standard outputs.
    static func createTable(_ name: String) -> String {
        """
        CREATE TABLE \(name) (
            symbol TEXT NOT NULL,
            open_time INTEGER NOT NULL,
            sma20 REAL, ema20 REAL, rsi14 REAL,
            macd REAL, macd_signal REAL, macd_hist REAL,
            bb_upper REAL, bb_middle REAL, bb_lower REAL,
            atr14 REAL, obv REAL, vwap REAL,
            stoch_k REAL, stoch_d REAL, adx14 REAL,
            PRIMARY KEY (symbol, open_time)
        ) WITHOUT ROWID
        """
    }

    /// The indicator table of `interval`: `indicators_1m`, `indicators_5m`, …
    public static func tableName(_ interval: KlineInterval) -> String { "indicators_\(interval.rawValue)" }
}
