import GRDB

/// The `trading` DAG's ledger in `market.db` (migration ids start with `trading-`), per mode
/// (`paper`, `sandbox`, `live`) and symbol; times are µs:
///
/// - `trading_orders`: one row per order, unique per bar that decided it and per client order id
///   (what the exchange is sent as `newClientOrderId`); written before an order is sent, so a
///   re-run never sends it again. `status`: `filled`, `rejected` (the exchange refused it, the
///   message says why), `sending` or `unknown` (no answer: to be checked on the exchange).
/// - `trading_fills`: what filled, at what price and fee (in the quote asset).
/// - `trading_positions`: cash and position now, and the book's state between runs.
/// - `trading_equity`: cash, position and equity at each bar's close.
///
/// Never edit a shipped migration: add a new one.
enum TradingSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("trading-v1") { db in
            try db.execute(
                sql: """
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
                    );
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
                    );
                    CREATE INDEX trading_fills_by_symbol ON trading_fills (mode, symbol, time);
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
                    ) WITHOUT ROWID;
                    CREATE TABLE trading_equity (
                        mode TEXT NOT NULL,
                        symbol TEXT NOT NULL,
                        open_time INTEGER NOT NULL,
                        close REAL NOT NULL,
                        cash REAL NOT NULL,
                        quantity REAL NOT NULL,
                        equity REAL NOT NULL,
                        PRIMARY KEY (mode, symbol, open_time)
                    ) WITHOUT ROWID;
                    """)
        }
    }
}
