import GRDB

/// The `alerts` DAG's tables of `market.db` (migration ids start with `alerts-`):
///
/// - `alert_firings`: one row per firing, unique per rule, symbol and candle (µs open time), so a
///   re-run inserts nothing new.
/// - `alert_state`: where each rule stands for each symbol (armed or not, the last candle
///   evaluated, MACD's side), so hysteresis carries over from run to run; `condition` is the
///   rule's text, and a rule whose condition changed starts afresh.
///
/// Never edit a shipped migration: add a new one.
enum AlertSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("alerts-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE alert_firings (
                        rule TEXT NOT NULL,
                        symbol TEXT NOT NULL,
                        open_time INTEGER NOT NULL,
                        condition TEXT NOT NULL,
                        value REAL NOT NULL,
                        close REAL NOT NULL,
                        message TEXT NOT NULL,
                        run_id TEXT NOT NULL,
                        fired_at INTEGER NOT NULL,
                        PRIMARY KEY (rule, symbol, open_time)
                    );
                    CREATE INDEX alert_firings_by_time ON alert_firings (open_time);
                    CREATE TABLE alert_state (
                        rule TEXT NOT NULL,
                        symbol TEXT NOT NULL,
                        condition TEXT NOT NULL,
                        armed INTEGER NOT NULL,
                        last_open_time INTEGER,
                        side INTEGER,
                        updated_at INTEGER NOT NULL,
                        PRIMARY KEY (rule, symbol)
                    ) WITHOUT ROWID;
                    """)
        }
    }
}
