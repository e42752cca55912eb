import GRDB

extension KlineWarehouse {
    /// Forward-fills the 1-minute candles of `symbol` on `exchange` (Binance unless named) missing
    /// in [from, to) (µs) between real
    /// candles: each missing minute gets a zero-volume candle at the previous close. Filled
    /// candles live in `tickerdata_1m_filled`, never in `tickerdata_1m`, so they are flagged by
    /// where they are and never mixed up with real ones; a real candle arriving later wins (its
    /// fill is deleted). Returns how many minutes were filled. Idempotent.
    @discardableResult
    public func forwardFill(exchange: ExchangeID = .binance, symbol: String, from: Int64, to: Int64) throws -> Int {
        let minute: Int64 = 60_000_000
        return try writer.write { db in
            try db.execute(
                sql: """
                    DELETE FROM tickerdata_1m_filled WHERE exchange = :exchange AND symbol = :symbol AND open_time IN (
                        SELECT open_time FROM tickerdata_1m
                        WHERE exchange = :exchange AND symbol = :symbol AND open_time >= :from AND open_time < :to)
                    """, arguments: ["exchange": exchange.rawValue, "symbol": symbol, "from": from, "to": to])
            let previous = try Row.fetchOne(
                db,
                sql: """
                    SELECT open_time, close FROM tickerdata_1m WHERE exchange = ? AND symbol = ? AND open_time < ?
                    ORDER BY open_time DESC LIMIT 1
                    """, arguments: [exchange.rawValue, symbol, from])
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT open_time, close FROM tickerdata_1m WHERE exchange = ? AND symbol = ? AND open_time >= ? AND open_time < ?
                    ORDER BY open_time
                    """, arguments: [exchange.rawValue, symbol, from, to])
            var last: (time: Int64, close: Int64)? = previous.map { ($0[0], $0[1]) }
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO tickerdata_1m_filled (exchange, symbol, open_time, close) VALUES (?, ?, ?, ?)
                    """)
            var filled = 0
            for row in rows {
                let time: Int64 = row[0]
                if let (lastTime, close) = last {
                    var missing = lastTime + minute
                    while missing < time {
                        try insert.execute(arguments: [exchange.rawValue, symbol, missing, close])
                        filled += 1
                        missing += minute
                    }
                }
                last = (time, row[1])
            }
            return filled
        }
    }

    /// Open times (µs) of the forward-filled minutes of `symbol` in [from, to), ascending.
    public func filledMinutes(exchange: ExchangeID = .binance, symbol: String, from: Int64, to: Int64) throws -> [Int64] {
        try writer.read { db in
            try Int64.fetchAll(
                db,
                sql: """
                    SELECT open_time FROM tickerdata_1m_filled WHERE exchange = ? AND symbol = ? AND open_time >= ? AND open_time < ?
                    ORDER BY open_time
                    """, arguments: [exchange.rawValue, symbol, from, to])
        }
    }
}
