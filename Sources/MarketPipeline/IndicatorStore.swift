import Foundation
import GRDB
import Indicators
import MarketData

/// The `indicators` DAG's tables in `market.db`, next to the candles they come from:
///
/// - `indicators_1m`: one row per 1-minute candle of a symbol with the fifteen standard outputs
///   (`IndicatorSet.columns`); NULL where TA-Lib has no value yet (the lookback).
/// - `indicators_<interval>` (`indicators_5m`, `indicators_1h`, …): the same, one row per complete
///   bucket of a resampled interval of `data.intervals`, computed over `tickerdata_<interval>`.
/// - `indicator_state`: where each symbol's computation stands per interval (the last candle
///   included, how many candles since the first, and the indicators' incremental state when it
///   can be stored), so the next run computes only what is new.
///
/// The tables and their migrations (`indicators-…`) belong to ``MarketDatabase``, the file's one
/// owner; this type reads and writes them through it.
public final class IndicatorStore: Sendable {
    /// The owner of `market.db`, shared with the warehouse.
    public let database: MarketDatabase

    /// The store over `database`.
    public init(database: MarketDatabase) {
        self.database = database
    }

    /// Opens its own ``MarketDatabase`` at `path` (tests, tools that use the store alone).
    public convenience init(path: String) throws {
        self.init(database: try MarketDatabase(path: path))
    }

    /// Where a symbol's computation stands.
    public struct Checkpoint: Equatable, Sendable {
        /// Open time (µs) of the first and the last candle included.
        public var firstOpenTime: Int64
        public var lastOpenTime: Int64
        /// Candles included, from the first to the last.
        public var bars: Int
        /// The encoded `IndicatorStream`, when the indicators' state types can be encoded.
        public var state: Data?
        /// When it was saved (µs), as read back; nil before it is saved.
        public var updatedAt: Int64?

        public init(firstOpenTime: Int64, lastOpenTime: Int64, bars: Int, state: Data?, updatedAt: Int64? = nil) {
            self.firstOpenTime = firstOpenTime; self.lastOpenTime = lastOpenTime; self.bars = bars; self.state = state
            self.updatedAt = updatedAt
        }
    }

    /// The table of `interval`'s indicators: `indicators_1m`, `indicators_5m`, …
    static func table(_ interval: KlineInterval) -> String { IndicatorSchema.tableName(interval) }

    /// Rows of `interval`'s indicator table per symbol.
    public func rowCounts(interval: KlineInterval = .oneMinute) throws -> [String: Int] {
        try database.writer.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT symbol, COUNT(*) FROM \(Self.table(interval)) GROUP BY symbol")
            return Dictionary(rows.map { ($0[0], $0[1]) }, uniquingKeysWith: { $1 })
        }
    }

    /// Where `symbol`'s computation at `interval` stands, if it ever ran.
    public func checkpoint(symbol: String, interval: KlineInterval = .oneMinute) throws -> Checkpoint? {
        try database.writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT first_open_time, last_open_time, bars, state, updated_at
                    FROM indicator_state WHERE symbol = ? AND interval = ?
                    """, arguments: [symbol, interval.rawValue]
            ).map {
                Checkpoint(firstOpenTime: $0[0], lastOpenTime: $0[1], bars: $0[2], state: $0[3], updatedAt: $0[4])
            }
        }
    }

    /// Writes the outputs of `openTimes` at `interval` and the new checkpoint in one transaction;
    /// with `replacing`, the symbol's earlier rows of that interval go first (a recomputation from scratch).
    public func save(
        symbol: String, openTimes: [Int64], outputs: IndicatorSet, checkpoint: Checkpoint,
        replacing: Bool, interval: KlineInterval = .oneMinute
    ) throws {
        try write(symbol: symbol, interval: interval, replacing: replacing) { rows in
            try rows.insert(openTimes: openTimes, outputs: outputs)
            return checkpoint
        }
    }

    /// Writes outputs as `body` hands them to its ``RowWriter`` (a chunk at a time, as
    /// `IndicatorStream`'s chunked append produces them), then the checkpoint `body` returns, in
    /// one transaction; with `replacing`, the symbol's earlier rows of that interval go first.
    /// When `body` throws, nothing is written.
    public func write(
        symbol: String, interval: KlineInterval = .oneMinute, replacing: Bool,
        _ body: (RowWriter) throws -> Checkpoint
    ) throws {
        try database.writer.write { db in
            if replacing {
                try db.execute(sql: "DELETE FROM \(Self.table(interval)) WHERE symbol = ?", arguments: [symbol])
            }
            let checkpoint = try body(RowWriter(db: db, sql: Self.insertSQL(interval), symbol: symbol))
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO indicator_state
                        (symbol, interval, first_open_time, last_open_time, bars, state, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    symbol, interval.rawValue, checkpoint.firstOpenTime, checkpoint.lastOpenTime,
                    checkpoint.bars, checkpoint.state, Date().micros,
                ])
        }
    }

    /// Inserts one symbol's output rows inside ``write(symbol:interval:replacing:_:)``'s
    /// transaction; valid only during that call's `body`.
    public struct RowWriter {
        let db: Database
        let sql: String
        let symbol: String

        /// Rows for `openTimes`, their outputs in `IndicatorSet.columns` order.
        public func insert(openTimes: UnsafeBufferPointer<Int64>, columns: [UnsafeBufferPointer<Double>]) throws {
            precondition(columns.count == IndicatorSet.columns.count, "IndicatorStore: \(columns.count) columns")
            try DoubleColumnsInsert.run(sql: sql, key: symbol, times: openTimes, columns: columns, in: db)
        }

        /// Rows for `openTimes` from a whole set.
        public func insert(openTimes: [Int64], outputs: IndicatorSet) throws {
            try DoubleColumnsInsert.run(sql: sql, key: symbol, times: openTimes, columns: outputs.values, in: db)
        }
    }

    /// NaN, TA-Lib's "no value yet", is stored as NULL (``DoubleColumnsInsert``).
    static func insertSQL(_ interval: KlineInterval) -> String {
        """
        INSERT OR REPLACE INTO \(table(interval)) (symbol, open_time, \(IndicatorSet.columns.joined(separator: ", ")))
        VALUES (?, ?\(String(repeating: ", ?", count: IndicatorSet.columns.count)))
        """
    }

    /// The stored outputs of `symbol` at `interval` with open time in [from, to) (µs), at most
    /// `limit` rows (oldest first), in column order; NaN for NULL.
    ///
    /// ```swift
    /// let (times, set) = try store.outputs(symbol: "BTCUSDT", interval: .fiveMinutes, from: start, to: end, limit: 50_001)
    /// ```
    public func outputs(
        symbol: String, interval: KlineInterval = .oneMinute, from: Int64 = .min, to: Int64 = .max, limit: Int? = nil
    ) throws -> (openTimes: [Int64], set: IndicatorSet) {
        try database.writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT open_time, \(IndicatorSet.columns.joined(separator: ", "))
                    FROM \(Self.table(interval)) WHERE symbol = ? AND open_time >= ? AND open_time < ?
                    ORDER BY open_time LIMIT ?
                    """, arguments: [symbol, from, to, limit ?? -1])
            let columns = IndicatorSet.columns.indices.map { column in
                rows.map { ($0[column + 1] as Double?) ?? .nan }
            }
            return (rows.map { $0[0] }, IndicatorSet(values: columns))
        }
    }
}
