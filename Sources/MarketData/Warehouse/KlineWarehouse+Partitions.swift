import Foundation
import GRDB

extension KlineWarehouse {
    /// Computes and stores the state of each month of `months` for `symbol` on `exchange` from its
    /// 1-minute candles (days with at least one candle; the current month counts the days before
    /// `now`'s), keeping a recorded failure while the month is not complete. Returns the states.
    @discardableResult
    public func refreshPartitions(exchange: ExchangeID = .binance, symbol: String, months: [String], now: Date) throws -> [PartitionState] {
        let nowMicros = now.microsecondsSinceEpoch
        let today = nowMicros / UTCCalendar.microsecondsPerDay * UTCCalendar.microsecondsPerDay
        return try writer.write { db in
            try months.map { month in
                guard let (start, end) = PartitionState.bounds(ofMonth: month) else {
                    throw PartitionError(message: "\(month) is not a month: expected YYYY-MM")
                }
                let expected = Int((min(end, max(start, today)) - start) / UTCCalendar.microsecondsPerDay)
                let loaded =
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(DISTINCT open_time / \(UTCCalendar.microsecondsPerDay)) FROM tickerdata_1m
                            WHERE exchange = ? AND symbol = ? AND open_time >= ? AND open_time < ?
                            """, arguments: [exchange.rawValue, symbol, start, min(end, today)]) ?? 0
                let previousError = try String.fetchOne(
                    db, sql: "SELECT error FROM partition_state WHERE exchange = ? AND symbol = ? AND month = ?",
                    arguments: [exchange.rawValue, symbol, month])
                let complete = loaded >= expected
                let error = complete ? nil : previousError
                let state: PartitionState.State =
                    error != nil ? .failed : complete ? .loaded : loaded == 0 ? .missing : .partial
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO partition_state (exchange, symbol, month, state, days_loaded, days_expected, error, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [exchange.rawValue, symbol, month, state.rawValue, loaded, expected, error, nowMicros])
                return PartitionState(
                    exchange: exchange, symbol: symbol, month: month, state: state, daysLoaded: loaded, daysExpected: expected,
                    error: error, updatedAt: now)
            }
        }
    }

    /// Records that loading `month` of `symbol` on `exchange` failed with `error`: the partition
    /// is `failed` until a load completes it.
    public func recordPartitionFailure(exchange: ExchangeID = .binance, symbol: String, month: String, error: String, at date: Date) throws
    {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO partition_state (exchange, symbol, month, state, days_loaded, days_expected, error, updated_at)
                    VALUES (?, ?, ?, 'failed', 0, 0, ?, ?)
                    ON CONFLICT (exchange, symbol, month) DO UPDATE SET state = 'failed', error = excluded.error,
                        updated_at = excluded.updated_at
                    """, arguments: [exchange.rawValue, symbol, month, error, date.microsecondsSinceEpoch])
        }
    }

    /// The stored partitions, by exchange, symbol and month, optionally only those of `symbol`,
    /// `exchange` or in `states`.
    public func partitions(
        symbol: String? = nil, exchange: ExchangeID? = nil, states: Set<PartitionState.State>? = nil
    ) throws -> [PartitionState] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT exchange, symbol, month, state, days_loaded, days_expected, error, updated_at FROM partition_state
                    WHERE (:symbol IS NULL OR symbol = :symbol) AND (:exchange IS NULL OR exchange = :exchange)
                    ORDER BY exchange, symbol, month
                    """, arguments: ["symbol": symbol, "exchange": exchange?.rawValue]
            ).compactMap { row -> PartitionState? in
                guard let exchange = ExchangeID(rawValue: row[0]), let state = PartitionState.State(rawValue: row[3]) else { return nil }
                guard states?.contains(state) ?? true else { return nil }
                return PartitionState(
                    exchange: exchange, symbol: row[1], month: row[2], state: state, daysLoaded: row[4], daysExpected: row[5],
                    error: row[6], updatedAt: Date(microsecondsSinceEpoch: row[7]))
            }
        }
    }
}

/// A partition request that cannot be served: says what was wrong.
public struct PartitionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
