import Foundation
import GRDB
import GRDBSQLite

extension KlineWarehouse {
    /// The intervals resampling builds from 1-minute candles: those whose buckets sit on a fixed
    /// UTC grid counted from the epoch (`1d` opens at 00:00 UTC, `4h` at 00:00, 04:00, …). `1w`,
    /// `3d` and `1mo` follow Binance's own calendar and are not resampled.
    public static let resampledIntervals: [KlineInterval] = [
        .threeMinutes, .fiveMinutes, .fifteenMinutes, .thirtyMinutes, .oneHour, .twoHours, .fourHours, .sixHours,
        .eightHours, .twelveHours, .oneDay,
    ]

    /// What one resampling did, per interval.
    public struct ResampleOutcome: Sendable, Equatable {
        /// Buckets written (complete and partial).
        public var written: [KlineInterval: Int] = [:]
        /// Open time (µs) of each interval's partial bucket, when its newest bucket is not complete yet.
        public var partial: [KlineInterval: Int64] = [:]
    }

    /// Brings the `intervals` tables of `symbol` on `exchange` up to date from its 1-minute
    /// candles, in one transaction: every bucket after the last complete one is rebuilt (from
    /// `from`, µs, when given: a backfill of older minutes), the newest one marked partial
    /// (`is_partial = 1`) until the minute that closes it has arrived, then replaced complete.
    /// Open is the first minute's open, high the highest, low the lowest, close the last minute's
    /// close, volumes and trades summed; a bucket with no minute is not made. Idempotent.
    ///
    /// ```swift
    /// try warehouse.resample(symbol: "BTCUSDT", intervals: [.fiveMinutes, .oneHour])
    /// ```
    @discardableResult
    public func resample(
        exchange: ExchangeID = .binance, symbol: String, intervals: [KlineInterval], from: Int64? = nil
    ) throws -> ResampleOutcome {
        let minute: Int64 = 60_000_000
        for interval in intervals where !Self.resampledIntervals.contains(interval) {
            throw ResampleError(interval: interval)
        }
        return try writer.write { db in
            var outcome = ResampleOutcome()
            guard
                let newest = try Int64.fetchOne(
                    db, sql: "SELECT MAX(open_time) FROM tickerdata_1m WHERE exchange = ? AND symbol = ?",
                    arguments: [exchange.rawValue, symbol])
            else { return outcome }
            for interval in intervals {
                let step = interval.microseconds!
                let lastComplete = try Int64.fetchOne(
                    db,
                    sql: "SELECT MAX(open_time) FROM \(interval.tableName) WHERE exchange = ? AND symbol = ? AND is_partial = 0",
                    arguments: [exchange.rawValue, symbol])
                var start = lastComplete.map { $0 + step } ?? Int64.min
                if let from { start = min(start, Self.floor(from, step)) }
                try db.execute(
                    sql: "DELETE FROM \(interval.tableName) WHERE exchange = ? AND symbol = ? AND open_time >= ?",
                    arguments: [exchange.rawValue, symbol, start])
                var buckets: [Kline] = []
                try Self.scanMinutes(db, exchange: exchange, symbol: symbol, from: start) { kline in
                    Self.add(kline, to: &buckets, step: step)
                }
                guard !buckets.isEmpty else { continue }
                let load = try Self.recordLoad(
                    db, exchange: exchange, symbol: symbol, interval: interval, source: "resample", klines: buckets, at: Date())
                _ = try Self.insert(buckets, exchange: exchange, symbol: symbol, interval: interval, load: load, in: db)
                if let last = buckets.last, last.openTime + step - minute > newest {
                    try db.execute(
                        sql: "UPDATE \(interval.tableName) SET is_partial = 1 WHERE exchange = ? AND symbol = ? AND open_time = ?",
                        arguments: [exchange.rawValue, symbol, last.openTime])
                    outcome.partial[interval] = last.openTime
                }
                outcome.written[interval] = buckets.count
            }
            return outcome
        }
    }

    /// Open times (µs) of the partial buckets of `symbol` on `exchange` in `interval` (at most one).
    public func partialBuckets(exchange: ExchangeID = .binance, symbol: String, interval: KlineInterval) throws -> [Int64] {
        try writer.read { db in
            try Int64.fetchAll(
                db,
                sql: "SELECT open_time FROM \(interval.tableName) WHERE exchange = ? AND symbol = ? AND is_partial = 1 ORDER BY open_time",
                arguments: [exchange.rawValue, symbol])
        }
    }

    static func floor(_ value: Int64, _ step: Int64) -> Int64 {
        value >= 0 ? value / step * step : (value - step + 1) / step * step
    }

    /// Adds the next 1-minute kline (open times ascending) to the buckets being built.
    static func add(_ kline: Kline, to buckets: inout [Kline], step: Int64) {
        Kline.accumulate(kline, into: &buckets, bucketStart: floor(kline.openTime, step), step: step)
    }

    /// The 1-minute klines of a symbol from `from` (µs), oldest first, read inside `db`.
    static func scanMinutes(_ db: Database, exchange: ExchangeID, symbol: String, from: Int64, _ body: (Kline) throws -> Void) throws {
        try scan(db, exchange: exchange, symbol: symbol, interval: .oneMinute, from: from, to: nil, columns: klineColumns) {
            try body(try kline(at: $0))
        }
    }
}

/// An interval resampling cannot build (`data.intervals` names it).
public struct ResampleError: Error, Sendable, CustomStringConvertible {
    /// The interval at fault.
    public var interval: KlineInterval
    public var description: String {
        "interval \(interval.rawValue) is not resampled: 1m candles are the stored base, and "
            + KlineWarehouse.resampledIntervals.map(\.rawValue).joined(separator: ", ") + " are built from them"
    }
}
