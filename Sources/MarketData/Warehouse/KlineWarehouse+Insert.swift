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

    /// The statement that stores a kline: an upsert by exchange, symbol and open time, or, with
    /// `replacing` false, a plain `INSERT` (2–5% cheaper a row) that fails on a stored candle.
    static func insertSQL(_ interval: KlineInterval, replacing: Bool = true) -> String {
        let insert = """
            INSERT INTO \(interval.tableName) (symbol, open_time, open, high, low, close, volume,
                close_time, quote_volume, trades, taker_buy_base_volume, taker_buy_quote_volume, exchange, load_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        guard replacing else { return insert }
        return insert + """

            ON CONFLICT (exchange, symbol, open_time) DO UPDATE SET open = excluded.open, high = excluded.high,
                low = excluded.low, close = excluded.close, volume = excluded.volume, close_time = excluded.close_time,
                quote_volume = excluded.quote_volume, trades = excluded.trades,
                taker_buy_base_volume = excluded.taker_buy_base_volume, taker_buy_quote_volume = excluded.taker_buy_quote_volume
            """
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
                exchange.rawValue, symbol, interval.rawValue, source, klines.map(\.openTime).min(), klines.map(\.openTime).max(),
                klines.count, date.microsecondsSinceEpoch,
            ])
        return db.lastInsertedRowID
    }

    /// Widens a load's range and adds `klines` to its rows (an archive file arrives in chunks).
    static func extendLoad(_ db: Database, id: Int64, klines: [Kline]) throws {
        guard let first = klines.map(\.openTime).min(), let last = klines.map(\.openTime).max() else { return }
        try db.execute(
            sql: """
                UPDATE load_ledger SET first_open_time = MIN(COALESCE(first_open_time, :first), :first),
                    last_open_time = MAX(COALESCE(last_open_time, :last), :last), rows = rows + :rows WHERE id = :id
                """, arguments: ["first": first, "last": last, "rows": klines.count, "id": id])
    }

    /// Binds with the raw SQLite API on a GRDB statement: about 2.5× GRDB's argument API. With
    /// `replacing` false, only for rows that cannot be stored yet (see ``hasCandles(_:exchange:symbol:interval:in:)``).
    static func insert(
        _ klines: [Kline], exchange: ExchangeID = .binance, symbol: String, interval: KlineInterval, load: Int64,
        replacing: Bool = true, in db: Database
    ) throws -> Int {
        let sql = insertSQL(interval, replacing: replacing)
        let statement = try db.cachedStatement(sql: sql)
        let handle = statement.sqliteStatement
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        defer { sqlite3_clear_bindings(handle); sqlite3_reset(handle) }
        guard sqlite3_bind_text(handle, 1, symbol, -1, transient) == SQLITE_OK else {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "cannot bind symbol", sql: sql)
        }
        guard sqlite3_bind_text(handle, 13, exchange.rawValue, -1, transient) == SQLITE_OK,
            sqlite3_bind_int64(handle, 14, load) == SQLITE_OK
        else {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "cannot bind exchange and load", sql: sql)
        }
        for kline in klines {
            sqlite3_bind_int64(handle, 2, kline.openTime)
            kline.open.bind(to: handle, at: 3)
            kline.high.bind(to: handle, at: 4)
            kline.low.bind(to: handle, at: 5)
            kline.close.bind(to: handle, at: 6)
            kline.volume.bind(to: handle, at: 7)
            sqlite3_bind_int64(handle, 8, kline.closeTime)
            kline.quoteVolume.bind(to: handle, at: 9)
            sqlite3_bind_int64(handle, 10, kline.trades)
            kline.takerBuyBaseVolume.bind(to: handle, at: 11)
            kline.takerBuyQuoteVolume.bind(to: handle, at: 12)
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else {
                let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                sqlite3_reset(handle)
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
            }
            sqlite3_reset(handle)
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
