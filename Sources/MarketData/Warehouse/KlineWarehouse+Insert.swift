import Foundation
import GRDB
import GRDBSQLite

extension KlineWarehouse {
    /// Inserts (or replaces, by exchange, symbol and open time) klines in one transaction, e.g.
    /// bars from the REST API. The same code path as archive imports. Returns the rows written.
    /// `symbol` is the pair run together (`BTCUSDT`) whatever the exchange calls it.
    /// Every call is one load of the ledger (`load_ledger`: its range, rows and `recordedAt`), which
    /// `coverage(asOf:)` reads; a candle stored again keeps the load that first brought it.
    @discardableResult
    public func insert(
        _ klines: [Kline], exchange: ExchangeID = .binance, symbol: String, interval: KlineInterval, source: String = "rest",
        recordedAt: Date = Date()
    ) throws -> Int {
        try writer.write { db in
            let load = try Self.recordLoad(
                db, exchange: exchange, symbol: symbol, interval: interval, source: source, klines: klines, at: recordedAt)
            return try Self.insert(klines, exchange: exchange, symbol: symbol, interval: interval, load: load, in: db)
        }
    }

    /// Klines bound into one `INSERT` statement. A statement keeps its cursor on the b-tree's last
    /// page from one row to the next, so a run of appended rows is placed without the search from
    /// the root, and the key comparisons, that each one-row statement makes: a year of 1m klines
    /// takes 40% less time in a raw SQLite loop of 64-row statements than in one of one-row ones.
    public static let rowsPerStatement = 64

    /// The statement that stores `rows` klines: an upsert by exchange, symbol and open time, or,
    /// with `replacing` false, a plain `INSERT OR ROLLBACK` that fails on a stored candle.
    ///
    /// `OR ROLLBACK`: a statement of many rows that may fail part-way must be undone alone, so
    /// SQLite copies each page it changes that the transaction had already changed (a 16 KB leaf
    /// a statement, appending) into a statement journal, spilled to a file in `/var/tmp` past
    /// 64 KB. Rolling back the whole transaction instead needs no such copy, and every caller
    /// gives up the whole transaction on any error anyway: a raw loop of a year of klines takes
    /// 0.37 s instead of 0.46 s. (An upsert's `DO UPDATE` aborts statement-wise whatever the
    /// clause, so it keeps the journal.)
    ///
    /// Parameters: `?1` symbol, `?2` exchange, `?3` load, then 11 per kline from `?4`, in the
    /// order of ``bind(_:to:row:)``.
    static func insertSQL(_ interval: KlineInterval, replacing: Bool = true, rows: Int = 1) -> String {
        var sql = """
            \(insertClause(interval, replacing: replacing)) (symbol, open_time, open, high, low, close, volume,
                close_time, quote_volume, trades, taker_buy_base_volume, taker_buy_quote_volume, exchange, load_id)
            VALUES
            """
        for row in 0..<rows {
            let first = 4 + 11 * row
            sql += (row == 0 ? " (?1" : ", (?1") + (first..<first + 11).map { ", ?\($0)" }.joined() + ", ?2, ?3)"
        }
        guard replacing else { return sql }
        return sql + """

            ON CONFLICT (exchange, symbol, open_time) DO UPDATE SET open = excluded.open, high = excluded.high,
                low = excluded.low, close = excluded.close, volume = excluded.volume, close_time = excluded.close_time,
                quote_volume = excluded.quote_volume, trades = excluded.trades,
                taker_buy_base_volume = excluded.taker_buy_base_volume, taker_buy_quote_volume = excluded.taker_buy_quote_volume
            """
    }

    /// `INSERT INTO <table>`, or `INSERT OR ROLLBACK INTO <table>` when not `replacing`: the
    /// statement's head, which its errors also name.
    static func insertClause(_ interval: KlineInterval, replacing: Bool) -> String {
        "INSERT\(replacing ? "" : " OR ROLLBACK") INTO \(interval.tableName)"
    }

    /// What tells one statement of ``insert(_:exchange:symbol:interval:load:replacing:in:)`` from another.
    struct StatementShape: Hashable {
        let interval: KlineInterval, replacing: Bool, rows: Int
    }

    /// ``insertSQL(_:replacing:rows:)`` of every shape ``insert(_:exchange:symbol:interval:load:replacing:in:)``
    /// runs, made once: building the 64-row ones on each call took 2.7% of an import's insert thread.
    static let statementSQL: [StatementShape: String] = Dictionary(
        uniqueKeysWithValues: KlineInterval.allCases.flatMap { interval in
            [rowsPerStatement, 1].flatMap { rows in
                [false, true].map { replacing in
                    (
                        StatementShape(interval: interval, replacing: replacing, rows: rows),
                        insertSQL(interval, replacing: replacing, rows: rows)
                    )
                }
            }
        })

    /// Binds `kline` as row `row` (0-based) of a statement of ``insertSQL(_:replacing:rows:)``.
    @inline(__always)
    static func bind(_ kline: Kline, to handle: OpaquePointer, row: Int) {
        let first = Int32(4 + 11 * row)
        sqlite3_bind_int64(handle, first, kline.openTime)
        kline.open.bind(to: handle, at: first + 1)
        kline.high.bind(to: handle, at: first + 2)
        kline.low.bind(to: handle, at: first + 3)
        kline.close.bind(to: handle, at: first + 4)
        kline.volume.bind(to: handle, at: first + 5)
        sqlite3_bind_int64(handle, first + 6, kline.closeTime)
        kline.quoteVolume.bind(to: handle, at: first + 7)
        sqlite3_bind_int64(handle, first + 8, kline.trades)
        kline.takerBuyBaseVolume.bind(to: handle, at: first + 9)
        kline.takerBuyQuoteVolume.bind(to: handle, at: first + 10)
    }

    /// Adds a load to the ledger (range and rows of `klines`, recorded at `date`); returns its id.
    static func recordLoad(
        _ db: Database, exchange: ExchangeID, symbol: String, interval: KlineInterval, source: String, klines: [Kline], at date: Date
    ) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO load_ledger (exchange, symbol, interval, source, first_open_time, last_open_time, rows, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                exchange.rawValue, symbol, interval.rawValue, source, klines.lazy.map(\.openTime).min(), klines.lazy.map(\.openTime).max(),
                klines.count, date.microsecondsSinceEpoch,
            ])
        return db.lastInsertedRowID
    }

    /// Widens a load's range and adds `klines` to its rows (an archive file arrives in chunks).
    static func extendLoad(_ db: Database, id: Int64, klines: [Kline]) throws {
        guard let first = klines.lazy.map(\.openTime).min(), let last = klines.lazy.map(\.openTime).max() else { return }
        try db.execute(
            sql: """
                UPDATE load_ledger SET first_open_time = MIN(COALESCE(first_open_time, :first), :first),
                    last_open_time = MAX(COALESCE(last_open_time, :last), :last), rows = rows + :rows WHERE id = :id
                """, arguments: ["first": first, "last": last, "rows": klines.count, "id": id])
    }

    /// Binds with the raw SQLite API on GRDB statements (about 2.5× GRDB's argument API), in
    /// statements of ``rowsPerStatement`` klines and one-kline ones for the rest. With `replacing`
    /// false, only for klines that cannot meet a stored candle (see
    /// ``hasCandles(_:exchange:symbol:interval:in:)``) nor repeat an open time among themselves:
    /// either fails the call with a UNIQUE constraint error and rolls back the caller's transaction,
    /// which must then give up (a plain insert outside a transaction is refused).
    static func insert(
        _ klines: [Kline], exchange: ExchangeID = .binance, symbol: String, interval: KlineInterval, load: Int64,
        replacing: Bool = true, in db: Database
    ) throws -> Int {
        // A plain insert that fails ends the transaction; a caller that went on after it would
        // write outside any transaction, a statement at a time.
        guard replacing || db.isInsideTransaction else {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE, message: "a plain kline insert runs only inside a transaction (it ends it when it fails)",
                sql: insertClause(interval, replacing: false))
        }
        var next = 0
        let shapes = [(rows: rowsPerStatement, statements: klines.count / rowsPerStatement), (1, klines.count % rowsPerStatement)]
        for (rows, statements) in shapes where statements > 0 {
            let shape = StatementShape(interval: interval, replacing: replacing, rows: rows)
            // Errors name the statement, not its 5 KB of text.
            func label() -> String {
                "\(insertClause(interval, replacing: replacing)) (\(rows) row\(rows == 1 ? "" : "s")\(replacing ? ", upsert" : ""))"
            }
            // The statement object owns the handle: it must outlive every use of it.
            let statement = try db.cachedStatement(sql: statementSQL[shape]!)
            try withExtendedLifetime(statement) {
                let handle = statement.sqliteStatement
                defer { sqlite3_clear_bindings(handle); sqlite3_reset(handle) }
                let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
                guard sqlite3_bind_text(handle, 1, symbol, -1, transient) == SQLITE_OK,
                    sqlite3_bind_text(handle, 2, exchange.rawValue, -1, transient) == SQLITE_OK,
                    sqlite3_bind_int64(handle, 3, load) == SQLITE_OK
                else {
                    throw DatabaseError(resultCode: .SQLITE_ERROR, message: "cannot bind symbol, exchange and load", sql: label())
                }
                for _ in 0..<statements {
                    for row in 0..<rows { bind(klines[next + row], to: handle, row: row) }
                    let code = sqlite3_step(handle)
                    guard code == SQLITE_DONE else {
                        let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                        sqlite3_reset(handle)
                        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: label())
                    }
                    sqlite3_reset(handle)
                    next += rows
                }
            }
        }
        return klines.count
    }

    /// Whether the table of `interval` holds a candle of `exchange`'s `symbol` in `period`.
    static func hasCandles(
        _ period: KlinePeriod, exchange: ExchangeID = .binance, symbol: String, interval: KlineInterval, in db: Database
    ) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM \(interval.tableName)
                    WHERE exchange = ? AND symbol = ? AND open_time >= ? AND open_time < ?)
                """,
            arguments: [exchange.rawValue, symbol, period.start, period.end]) ?? true
    }
}
