// Generated from the migrations: do not edit. After adding a migration, run
// `UPDRAFT_WRITE_SCHEMA_SNAPSHOT=1 swift test --filter MarketSchemaSnapshotTests`.
import UpdraftStore

extension MarketDatabase {
    /// The schema the migrations leave on an empty file (see `SchemaSnapshot`).
    static let schemaSnapshot = SchemaSnapshot(
        migrations: [
            "v1-klines",
            "v1-symbols",
            "v2-filled-klines",
            "indicators-v1",
            "forecasting-v1",
            "v3-exchange-column",
            "v4-universe",
            "v5-partial-buckets",
            "v6-partitions",
            "v7-load-ledger",
            "alerts-v1",
            "trading-v1",
            "forecasting-v2-interval",
            "indicators-v2-intervals",
        ],
        statements: [
            [
                #"""
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)
                """#,
                #"""
                CREATE TABLE archive_file (
                    name TEXT PRIMARY KEY NOT NULL,
                    symbol TEXT NOT NULL,
                    interval TEXT NOT NULL,
                    period TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    rows INTEGER NOT NULL,
                    loaded_at INTEGER NOT NULL
                , exchange TEXT NOT NULL DEFAULT 'binance')
                """#,
                #"""
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
                , in_top INTEGER NOT NULL DEFAULT 1, untracked_at INTEGER, manual TEXT CHECK (manual IN ('track', 'untrack')), manual_at INTEGER, origin TEXT NOT NULL DEFAULT 'coingecko')
                """#,
                #"""
                CREATE INDEX symbol_binance_pair ON symbol(binance_pair)
                """#,
                #"""
                CREATE TABLE symbol_rank_history (
                    symbol_id TEXT NOT NULL REFERENCES symbol(id) ON DELETE CASCADE,
                    observed_at INTEGER NOT NULL,
                    rank INTEGER,
                    market_cap REAL,
                    PRIMARY KEY (symbol_id, observed_at)
                ) WITHOUT ROWID
                """#,
                #"""
                CREATE TABLE indicators_1m (
                    symbol TEXT NOT NULL,
                    open_time INTEGER NOT NULL,
                    sma20 REAL, ema20 REAL, rsi14 REAL,
                    macd REAL, macd_signal REAL, macd_hist REAL,
                    bb_upper REAL, bb_middle REAL, bb_lower REAL,
                    atr14 REAL, obv REAL, vwap REAL,
                    stoch_k REAL, stoch_d REAL, adx14 REAL,
                    PRIMARY KEY (symbol, open_time)
                ) WITHOUT ROWID
                """#,
                #"""
                CREATE TABLE indicator_state (
                    symbol TEXT NOT NULL,
                    interval TEXT NOT NULL,
                    first_open_time INTEGER NOT NULL,
                    last_open_time INTEGER NOT NULL,
                    bars INTEGER NOT NULL,
                    state BLOB,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (symbol, interval)
                ) WITHOUT ROWID
                """#,
                #"""
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
                    base_r2 REAL NOT NULL, base_direction REAL NOT NULL, interval TEXT NOT NULL DEFAULT '1m',
                    UNIQUE (symbol, horizon_minutes, kind, version)
                )
                """#,
                #"""
                CREATE INDEX forecasting_models_by_symbol ON forecasting_models (symbol, horizon_minutes)
                """#,
                #"""
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
                )
                """#,
                #"""
                CREATE INDEX predictions_unscored ON predictions (symbol, scored_at)
                """#,
                #"""
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
                )
                """#,
            ],
            SchemaSnapshot.each(
                [
                    "tickerdata_1s",
                    "tickerdata_1m",
                    "tickerdata_3m",
                    "tickerdata_5m",
                    "tickerdata_15m",
                    "tickerdata_30m",
                    "tickerdata_1h",
                    "tickerdata_2h",
                    "tickerdata_4h",
                    "tickerdata_6h",
                    "tickerdata_8h",
                    "tickerdata_12h",
                    "tickerdata_1d",
                    "tickerdata_3d",
                    "tickerdata_1w",
                    "tickerdata_1mo",
                ],
                #"""
                CREATE TABLE "{table}" (
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
                    taker_buy_quote_volume INTEGER NOT NULL, is_partial INTEGER NOT NULL DEFAULT 0, load_id INTEGER,
                    PRIMARY KEY (exchange, symbol, open_time)
                ) WITHOUT ROWID
                """#),
            [
                #"""
                CREATE TABLE "tickerdata_1m_filled" (
                    exchange TEXT NOT NULL DEFAULT 'binance',
                    symbol TEXT NOT NULL,
                    open_time INTEGER NOT NULL,
                    close INTEGER NOT NULL,
                    PRIMARY KEY (exchange, symbol, open_time)
                ) WITHOUT ROWID
                """#,
                #"""
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
                """#,
                #"""
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
                )
                """#,
                #"""
                CREATE INDEX load_ledger_series ON load_ledger (exchange, symbol, interval, recorded_at)
                """#,
                #"""
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
                )
                """#,
                #"""
                CREATE INDEX alert_firings_by_time ON alert_firings (open_time)
                """#,
                #"""
                CREATE TABLE alert_state (
                    rule TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    condition TEXT NOT NULL,
                    armed INTEGER NOT NULL,
                    last_open_time INTEGER,
                    side INTEGER,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (rule, symbol)
                ) WITHOUT ROWID
                """#,
                #"""
                CREATE TABLE trading_orders (
                    mode TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    decided_at INTEGER NOT NULL,
                    client_order_id TEXT NOT NULL,
                    side TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    status TEXT NOT NULL,
                    exchange_order_id INTEGER,
                    message TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (mode, symbol, decided_at),
                    UNIQUE (mode, client_order_id)
                )
                """#,
                #"""
                CREATE TABLE trading_fills (
                    mode TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    client_order_id TEXT NOT NULL,
                    time INTEGER NOT NULL,
                    side TEXT NOT NULL,
                    quantity REAL NOT NULL,
                    price REAL NOT NULL,
                    fee REAL NOT NULL,
                    reason TEXT NOT NULL,
                    PRIMARY KEY (mode, client_order_id)
                )
                """#,
                #"""
                CREATE INDEX trading_fills_by_symbol ON trading_fills (mode, symbol, time)
                """#,
                #"""
                CREATE TABLE trading_positions (
                    mode TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    starting_cash REAL NOT NULL,
                    cash REAL NOT NULL,
                    quantity REAL NOT NULL,
                    entry_price REAL NOT NULL,
                    last_open_time INTEGER,
                    book TEXT NOT NULL,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (mode, symbol)
                ) WITHOUT ROWID
                """#,
                #"""
                CREATE TABLE trading_equity (
                    mode TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    open_time INTEGER NOT NULL,
                    close REAL NOT NULL,
                    cash REAL NOT NULL,
                    quantity REAL NOT NULL,
                    equity REAL NOT NULL,
                    PRIMARY KEY (mode, symbol, open_time)
                ) WITHOUT ROWID
                """#,
                #"""
                CREATE TABLE "forecasting_best_models" (
                    symbol TEXT NOT NULL,
                    interval TEXT NOT NULL DEFAULT '1m',
                    horizon_minutes INTEGER NOT NULL,
                    model_id TEXT NOT NULL REFERENCES forecasting_models (id),
                    metric TEXT NOT NULL,
                    value REAL NOT NULL,
                    chosen_at INTEGER NOT NULL,
                    PRIMARY KEY (symbol, interval, horizon_minutes)
                )
                """#,
            ],
            SchemaSnapshot.each(
                [
                    "indicators_3m",
                    "indicators_5m",
                    "indicators_15m",
                    "indicators_30m",
                    "indicators_1h",
                    "indicators_2h",
                    "indicators_4h",
                    "indicators_6h",
                    "indicators_8h",
                    "indicators_12h",
                    "indicators_1d",
                ],
                #"""
                CREATE TABLE {table} (
                    symbol TEXT NOT NULL,
                    open_time INTEGER NOT NULL,
                    sma20 REAL, ema20 REAL, rsi14 REAL,
                    macd REAL, macd_signal REAL, macd_hist REAL,
                    bb_upper REAL, bb_middle REAL, bb_lower REAL,
                    atr14 REAL, obv REAL, vwap REAL,
                    stoch_k REAL, stoch_d REAL, adx14 REAL,
                    PRIMARY KEY (symbol, open_time)
                ) WITHOUT ROWID
                """#),
        ].flatMap { $0 })
}
