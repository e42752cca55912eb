import GRDB

extension KlineWarehouse {
    /// Forward-fills the 1-minute candles of `symbol` on `exchange` (Binance unless named) missing
    /// in [from, to) (µs) between real
    /// candles: each missing minute gets a zero-volume candle at the previous close. Filled
    /// candles live in `tickerdata_1m_filled`, never in `tickerdata_1m`, so gaps, coverage,
    /// partitions and resampling see only real candles; the readers that want them
    /// (``klinesIncludingFilled(exchange:symbol:from:to:)``) merge them back, each flagged. A real
    /// candle arriving later wins (its fill is deleted, and ignored by those readers until then).
    /// Returns how many minutes were filled. Idempotent.
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

    /// The 1-minute candles of `symbol` in [from, to) (µs; nil: unbounded), oldest first, with
    /// its forward-filled minutes merged in, each flagged: what indicators, training and
    /// `data export` read when `data.forward_fill` is on. A filled minute is a zero-volume,
    /// zero-trade candle whose four prices are the previous real close; its close time is the
    /// minute's end less Binance's unit for its date (1 ms before 2025, 1 µs after).
    ///
    /// ```swift
    /// let rows = try warehouse.klinesIncludingFilled(symbol: "BTCUSDT", from: start, to: end)
    /// let filled = rows.filter(\.isFilled).count
    /// ```
    public func klinesIncludingFilled(
        exchange: ExchangeID = .binance, symbol: String, from: Int64? = nil, to: Int64? = nil
    ) throws -> [FlaggedKline] {
        let real = try klines(exchange: exchange, symbol: symbol, interval: .oneMinute, from: from, to: to)
        let fills = try filledCloses(exchange: exchange, symbol: symbol, from: from, to: to)
        var out: [FlaggedKline] = []
        out.reserveCapacity(real.count + fills.count)
        var r = 0, f = 0
        while r < real.count || f < fills.count {
            if f == fills.count || (r < real.count && real[r].openTime <= fills[f].openTime) {
                out.append(FlaggedKline(kline: real[r], isFilled: false))
                if f < fills.count, real[r].openTime == fills[f].openTime { f += 1 }  // a real candle wins
                r += 1
            } else {
                out.append(FlaggedKline(kline: Self.filledKline(openTime: fills[f].openTime, close: fills[f].close), isFilled: true))
                f += 1
            }
        }
        return out
    }

    /// ``candles(exchange:symbol:interval:from:to:)`` at `1m` with the forward-filled minutes
    /// merged in (see ``klinesIncludingFilled(exchange:symbol:from:to:)``).
    public func candlesIncludingFilled(
        exchange: ExchangeID = .binance, symbol: String, from: Int64? = nil, to: Int64? = nil
    ) throws -> CandleSeries {
        let fills = try filledCloses(exchange: exchange, symbol: symbol, from: from, to: to)
        let real = try candles(exchange: exchange, symbol: symbol, interval: .oneMinute, from: from, to: to)
        if fills.isEmpty { return real }
        var out = CandleSeries.empty
        var r = 0, f = 0
        while r < real.count || f < fills.count {
            if f == fills.count || (r < real.count && real.openTime[r] <= fills[f].openTime) {
                out.openTime.append(real.openTime[r])
                out.open.append(real.open[r]); out.high.append(real.high[r]); out.low.append(real.low[r])
                out.close.append(real.close[r]); out.volume.append(real.volume[r])
                if f < fills.count, real.openTime[r] == fills[f].openTime { f += 1 }
                r += 1
            } else {
                let price = fills[f].close.doubleValue
                out.openTime.append(fills[f].openTime)
                out.open.append(price); out.high.append(price); out.low.append(price); out.close.append(price)
                out.volume.append(0)
                f += 1
            }
        }
        return out
    }

    /// A forward-filled minute as a kline: zero volume and trades, every price the previous close.
    public static func filledKline(openTime: Int64, close: FixedDecimal) -> Kline {
        let unit: Int64 = TimeUnit.archiveUnit(forOpenTime: openTime) == .microseconds ? 1 : 1_000
        return Kline(
            openTime: openTime, open: close, high: close, low: close, close: close, volume: .zero,
            closeTime: openTime + 60_000_000 - unit, quoteVolume: .zero, trades: 0, takerBuyBaseVolume: .zero,
            takerBuyQuoteVolume: .zero)
    }

    /// The forward-filled minutes of `symbol` in [from, to) with their close, ascending.
    func filledCloses(
        exchange: ExchangeID, symbol: String, from: Int64?, to: Int64?
    ) throws -> [(openTime: Int64, close: FixedDecimal)] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT open_time, close FROM tickerdata_1m_filled
                    WHERE exchange = ? AND symbol = ? AND open_time >= ? AND open_time < ? ORDER BY open_time
                    """, arguments: [exchange.rawValue, symbol, from ?? Int64.min, to ?? Int64.max]
            ).map { (openTime: $0[0], close: FixedDecimal(units: $0[1])) }
        }
    }
}

/// A 1-minute candle and whether it is a forward-filled minute (`data.forward_fill`) rather than
/// one the exchange reported.
public struct FlaggedKline: Sendable, Equatable {
    public var kline: Kline
    /// True for a forward-filled minute.
    public var isFilled: Bool

    public init(kline: Kline, isFilled: Bool) {
        self.kline = kline
        self.isFilled = isFilled
    }
}
