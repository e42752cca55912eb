import GRDB

/// The warehouse's forward-only migrations. Never edit a shipped migration: add a new one.
enum WarehouseSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-klines") { db in
            // One table per interval: `tickerdata_1m` keeps the name the DAGs and users know and
            // a two-column key (symbol, open_time), so the hot 1m table's keys stay small and no
            // query can mix intervals by accident. Prices and volumes are exact ×10^8 integers
            // (FixedDecimal units); times are µs since the epoch, UTC.
            for interval in KlineInterval.allCases {
                try db.execute(
                    sql: """
                        CREATE TABLE \(interval.tableName) (
                            symbol TEXT NOT NULL,
                            open_time INTEGER NOT NULL,
                            open INTEGER NOT NULL,
                            high INTEGER NOT NULL,
                            low INTEGER NOT NULL,
                            close INTEGER NOT NULL,
                            volume INTEGER NOT NULL,
                            close_time INTEGER NOT NULL,
                            quote_volume INTEGER NOT NULL,
                            trades INTEGER NOT NULL,
                            taker_buy_base_volume INTEGER NOT NULL,
                            taker_buy_quote_volume INTEGER NOT NULL,
                            PRIMARY KEY (symbol, open_time)
                        ) WITHOUT ROWID
                        """)
            }
            try db.execute(
                sql: """
                    CREATE TABLE archive_file (
                        name TEXT PRIMARY KEY NOT NULL,
                        symbol TEXT NOT NULL,
                        interval TEXT NOT NULL,
                        period TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        rows INTEGER NOT NULL,
                        loaded_at INTEGER NOT NULL
                    )
                    """)
        }
        migrator.registerMigration("v1-symbols") { db in
            try db.execute(
                sql: """
                    CREATE TABLE symbol (
                        id TEXT PRIMARY KEY NOT NULL,
                        ticker TEXT NOT NULL,
                        name TEXT NOT NULL,
                        rank INTEGER,
                        market_cap REAL,
                        binance_pair TEXT,
                        is_stablecoin INTEGER NOT NULL DEFAULT 0,
                        first_seen_at INTEGER NOT NULL,
                        last_updated_at INTEGER
                    );
                    CREATE INDEX symbol_binance_pair ON symbol(binance_pair);
                    CREATE TABLE symbol_rank_history (
                        symbol_id TEXT NOT NULL REFERENCES symbol(id) ON DELETE CASCADE,
                        observed_at INTEGER NOT NULL,
                        rank INTEGER,
                        market_cap REAL,
                        PRIMARY KEY (symbol_id, observed_at)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2-filled-klines") { db in
            // Forward-filled minutes (`data.forward_fill`), apart from the real candles so they are
            // never mixed up: a zero-volume candle at the previous close, `close` in FixedDecimal units.
            try db.execute(
                sql: """
                    CREATE TABLE tickerdata_1m_filled (
                        symbol TEXT NOT NULL,
                        open_time INTEGER NOT NULL,
                        close INTEGER NOT NULL,
                        PRIMARY KEY (symbol, open_time)
                    ) WITHOUT ROWID
                    """)
        }
        return migrator
    }

    /// The universe's controls on `symbol` (`updraft symbols`): whether the coin is in the latest
    /// top N and since when it is not, a manual choice that beats that rule, and where the row came from.
    static func registerUniverse(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-universe") { db in
            try db.execute(
                sql: """
                    ALTER TABLE symbol ADD COLUMN in_top INTEGER NOT NULL DEFAULT 1;
                    ALTER TABLE symbol ADD COLUMN untracked_at INTEGER;
                    ALTER TABLE symbol ADD COLUMN manual TEXT CHECK (manual IN ('track', 'untrack'));
                    ALTER TABLE symbol ADD COLUMN manual_at INTEGER;
                    ALTER TABLE symbol ADD COLUMN origin TEXT NOT NULL DEFAULT 'coingecko';
                    """)
        }
    }

    /// Resampled intervals (`data.intervals`): a bucket whose closing minute has not arrived is
    /// kept marked partial and replaced once complete. Every kline table gets the flag (0 for
    /// what was stored before: whole files and REST candles).
    static func registerPartialBuckets(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-partial-buckets") { db in
            for interval in KlineInterval.allCases {
                try db.execute(sql: "ALTER TABLE \(interval.tableName) ADD COLUMN is_partial INTEGER NOT NULL DEFAULT 0")
            }
        }
    }

    /// Partitions (symbol × exchange × UTC month) and their states, for `data partitions` and
    /// `data backfill`.
    static func registerPartitions(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-partitions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE partition_state (
                        exchange TEXT NOT NULL,
                        symbol TEXT NOT NULL,
                        month TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('missing', 'loaded', 'partial', 'failed')),
                        days_loaded INTEGER NOT NULL,
                        days_expected INTEGER NOT NULL,
                        error TEXT,
                        updated_at INTEGER NOT NULL,
                        PRIMARY KEY (exchange, symbol, month)
                    ) WITHOUT ROWID
                    """)
        }
    }

    /// The load ledger: every load (an archive file, a REST page, a resampling) with its valid-time
    /// range and the time it was recorded; each candle names the load that first brought it
    /// (`load_id`; NULL for candles stored before the ledger, known at any date). Bitemporal
    /// coverage (`data coverage --as-of`) reads these, not a second copy of the candles.
    static func registerLoadLedger(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7-load-ledger") { db in
            try db.execute(
                sql: """
                    CREATE TABLE load_ledger (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        exchange TEXT NOT NULL,
                        symbol TEXT NOT NULL,
                        interval TEXT NOT NULL,
                        source TEXT NOT NULL,
                        first_open_time INTEGER,
                        last_open_time INTEGER,
                        rows INTEGER NOT NULL,
                        recorded_at INTEGER NOT NULL
                    );
                    CREATE INDEX load_ledger_series ON load_ledger (exchange, symbol, interval, recorded_at);
                    """)
            for interval in KlineInterval.allCases {
                try db.execute(sql: "ALTER TABLE \(interval.tableName) ADD COLUMN load_id INTEGER")
            }
        }
    }

    /// Registered after the indicator and forecasting migrations, in the order it shipped.
    static func registerExchangeColumn(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-exchange-column") { db in
            // Candles from several exchanges (docs/exchanges.md): every kline table gains `exchange`
            // at the head of its key, so a read names the exchange and the symbol and ranges over
            // time through the key. Rows written before are Binance's. SQLite cannot change a
            // key in place: each table is copied into its new shape, then renamed.
            let columns = """
                symbol, open_time, open, high, low, close, volume, close_time, quote_volume, trades,
                taker_buy_base_volume, taker_buy_quote_volume
                """
            for interval in KlineInterval.allCases {
                let table = interval.tableName
                try db.execute(
                    sql: """
                        CREATE TABLE \(table)_v3 (
                            exchange TEXT NOT NULL DEFAULT 'binance',
                            symbol TEXT NOT NULL,
                            open_time INTEGER NOT NULL,
                            open INTEGER NOT NULL,
                            high INTEGER NOT NULL,
                            low INTEGER NOT NULL,
                            close INTEGER NOT NULL,
                            volume INTEGER NOT NULL,
                            close_time INTEGER NOT NULL,
                            quote_volume INTEGER NOT NULL,
                            trades INTEGER NOT NULL,
                            taker_buy_base_volume INTEGER NOT NULL,
                            taker_buy_quote_volume INTEGER NOT NULL,
                            PRIMARY KEY (exchange, symbol, open_time)
                        ) WITHOUT ROWID;
                        INSERT INTO \(table)_v3 (exchange, \(columns)) SELECT 'binance', \(columns) FROM \(table);
                        DROP TABLE \(table);
                        ALTER TABLE \(table)_v3 RENAME TO \(table);
                        """)
            }
            try db.execute(
                sql: """
                    CREATE TABLE tickerdata_1m_filled_v3 (
                        exchange TEXT NOT NULL DEFAULT 'binance',
                        symbol TEXT NOT NULL,
                        open_time INTEGER NOT NULL,
                        close INTEGER NOT NULL,
                        PRIMARY KEY (exchange, symbol, open_time)
                    ) WITHOUT ROWID;
                    INSERT INTO tickerdata_1m_filled_v3 (exchange, symbol, open_time, close)
                        SELECT 'binance', symbol, open_time, close FROM tickerdata_1m_filled;
                    DROP TABLE tickerdata_1m_filled;
                    ALTER TABLE tickerdata_1m_filled_v3 RENAME TO tickerdata_1m_filled;
                    ALTER TABLE archive_file ADD COLUMN exchange TEXT NOT NULL DEFAULT 'binance';
                    """)
        }
    }
}
