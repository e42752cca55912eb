import GRDB
import GRDBSQLite

extension KlineWarehouse {
    /// Klines of a symbol and interval with open time in [from, to) (µs), oldest first.
    /// `from`/`to` nil mean unbounded.
    public func klines(
        exchange: ExchangeID = .binance, symbol: String, interval: KlineInterval = .oneMinute,
        from: Int64? = nil, to: Int64? = nil
    ) throws -> [Kline] {
        var out: [Kline] = []
        try forEachKline(exchange: exchange, symbol: symbol, interval: interval, from: from, to: to) { out.append($0) }
        return out
    }

    /// Hands each kline of a symbol and interval with open time in [from, to) (µs) to `body`,
    /// oldest first, without holding them all: for a reader that aggregates or stops early (an
    /// error thrown by `body` ends the scan and is rethrown).
    ///
    /// ```swift
    /// var volume = FixedDecimal.zero
    /// try warehouse.forEachKline(symbol: "BTCUSDT", from: start, to: end) { volume.units += $0.volume.units }
    /// ```
    public func forEachKline(
        exchange: ExchangeID = .binance, symbol: String, interval: KlineInterval = .oneMinute,
        from: Int64? = nil, to: Int64? = nil, _ body: (Kline) throws -> Void
    ) throws {
        try scan(exchange: exchange, symbol: symbol, interval: interval, from: from, to: to, columns: Self.klineColumns) {
            try body(try Self.kline(at: $0))
        }
    }

    /// The columns `kline(at:)` reads, in its order.
    static let klineColumns =
        "open_time, open, high, low, close, volume, close_time, quote_volume, trades, taker_buy_base_volume, taker_buy_quote_volume"

    /// The kline in the current row of a statement selecting `klineColumns`.
    static func kline(at s: OpaquePointer) throws -> Kline {
        func int(_ i: Int32) -> Int64 { sqlite3_column_int64(s, i) }
        func dec(_ i: Int32) throws -> FixedDecimal { try FixedDecimal(column: s, at: i) }
        return Kline(
            openTime: int(0), open: try dec(1), high: try dec(2), low: try dec(3), close: try dec(4),
            volume: try dec(5), closeTime: int(6), quoteVolume: try dec(7), trades: int(8),
            takerBuyBaseVolume: try dec(9), takerBuyQuoteVolume: try dec(10))
    }

    /// The candles of a symbol and interval with open time in [from, to) (µs) as columns of
    /// doubles, oldest first: what indicators and models read.
    public func candles(
        exchange: ExchangeID = .binance, symbol: String, interval: KlineInterval = .oneMinute,
        from: Int64? = nil, to: Int64? = nil
    ) throws -> CandleSeries {
        var series = CandleSeries.empty
        try scan(
            exchange: exchange, symbol: symbol, interval: interval, from: from, to: to,
            columns: "open_time, open, high, low, close, volume"
        ) { s in
            func dbl(_ i: Int32) throws -> Double {
                if sqlite3_column_type(s, i) == SQLITE_INTEGER { return Double(sqlite3_column_int64(s, i)) / 1e8 }
                return try FixedDecimal(column: s, at: i).doubleValue
            }
            series.openTime.append(sqlite3_column_int64(s, 0))
            series.open.append(try dbl(1))
            series.high.append(try dbl(2))
            series.low.append(try dbl(3))
            series.close.append(try dbl(4))
            series.volume.append(try dbl(5))
        }
        return series
    }

    /// Whether any kline of a symbol and interval on `exchange` is stored.
    public func hasKlines(exchange: ExchangeID = .binance, symbol: String, interval: KlineInterval) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM \(interval.tableName) WHERE exchange = ? AND symbol = ?)",
                arguments: [exchange.rawValue, symbol]) ?? false
        }
    }

    /// Open times (µs) of a symbol and interval in [from, to), ascending.
    public func openTimes(
        exchange: ExchangeID = .binance, symbol: String, interval: KlineInterval = .oneMinute,
        from: Int64? = nil, to: Int64? = nil
    ) throws -> [Int64] {
        var out: [Int64] = []
        try scan(exchange: exchange, symbol: symbol, interval: interval, from: from, to: to, columns: "open_time") { s in
            out.append(sqlite3_column_int64(s, 0))
        }
        return out
    }

    /// Rows, first and last open time per symbol and interval of `exchange` (Binance unless
    /// named), ordered by symbol then interval.
    public func stats(exchange: ExchangeID = .binance) throws -> [KlineStats] {
        try writer.read { db in
            var out: [KlineStats] = []
            for interval in KlineInterval.allCases {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT symbol, COUNT(*), MIN(open_time), MAX(open_time) FROM \(interval.tableName)
                        WHERE exchange = ? GROUP BY symbol
                        """, arguments: [exchange.rawValue])
                out += rows.map {
                    KlineStats(
                        symbol: $0[0], interval: interval, rows: $0[1],
                        firstOpenTime: $0[2], lastOpenTime: $0[3])
                }
            }
            let order = Dictionary(uniqueKeysWithValues: KlineInterval.allCases.enumerated().map { ($1, $0) })
            return out.sorted { ($0.symbol, order[$0.interval]!) < ($1.symbol, order[$1.interval]!) }
        }
    }

    /// Runs `SELECT columns … ORDER BY open_time` and hands each row's raw statement to `body`.
    func scan(
        exchange: ExchangeID, symbol: String, interval: KlineInterval, from: Int64?, to: Int64?, columns: String,
        _ body: (OpaquePointer) throws -> Void
    ) throws {
        try writer.read { db in
            try Self.scan(db, exchange: exchange, symbol: symbol, interval: interval, from: from, to: to, columns: columns, body)
        }
    }

    /// ``scan(exchange:symbol:interval:from:to:columns:_:)`` inside `db` (a read or a write in progress).
    static func scan(
        _ db: Database, exchange: ExchangeID, symbol: String, interval: KlineInterval, from: Int64?, to: Int64?,
        columns: String, _ body: (OpaquePointer) throws -> Void
    ) throws {
        let statement = try db.makeStatement(
            sql: """
                SELECT \(columns) FROM \(interval.tableName)
                WHERE exchange = ? AND symbol = ? AND open_time >= ? AND open_time < ? ORDER BY open_time
                """)
        try statement.setArguments([exchange.rawValue, symbol, from ?? Int64.min, to ?? Int64.max])
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
            }
            try body(handle)
        }
    }
}
