import Foundation
import GRDB
import GRDBSQLite

extension KlineWarehouse {
    /// Inserts (or replaces, by exchange, symbol and open time) klines in one transaction, e.g.
    /// bars from the REST API. The same code path as archive imports. Returns the rows written.
    /// `symbol` is the pair run together (`BTCUSDT`) whatever the exchange calls it.
    @discardableResult
    public func insert(_ klines: [Kline], exchange: ExchangeID = .binance, symbol: String, interval: KlineInterval) throws -> Int {
        try writer.write { db in try Self.insert(klines, exchange: exchange, symbol: symbol, interval: interval, in: db) }
    }

    static func insertSQL(_ interval: KlineInterval) -> String {
        """
        INSERT OR REPLACE INTO \(interval.tableName) (symbol, open_time, open, high, low, close, volume,
            close_time, quote_volume, trades, taker_buy_base_volume, taker_buy_quote_volume, exchange)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    }

    /// Binds with the raw SQLite API on a GRDB statement: about 2.5× GRDB's argument API.
    static func insert(
        _ klines: [Kline], exchange: ExchangeID = .binance, symbol: String, interval: KlineInterval, in db: Database
    ) throws -> Int {
        let sql = insertSQL(interval)
        let statement = try db.cachedStatement(sql: sql)
        let handle = statement.sqliteStatement
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        defer { sqlite3_clear_bindings(handle); sqlite3_reset(handle) }
        guard sqlite3_bind_text(handle, 1, symbol, -1, transient) == SQLITE_OK else {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "cannot bind symbol", sql: sql)
        }
        guard sqlite3_bind_text(handle, 13, exchange.rawValue, -1, transient) == SQLITE_OK else {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "cannot bind exchange", sql: sql)
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
}
