import Foundation
import GRDB

/// What the warehouse knew of one exchange, symbol and interval at a date: the valid-time
/// coverage of the candles recorded by then (first, last, missing ranges) and the loads that
/// recorded them, read from the load ledger.
public struct Coverage: Sendable, Equatable {
    /// A run of missing bars between two known ones: open times (µs) of the first and last missing.
    public struct Missing: Sendable, Equatable {
        public var start: Int64
        public var end: Int64
        public var bars: Int
    }

    /// One load of the ledger.
    public struct Load: Sendable, Equatable {
        public var source: String
        public var firstOpenTime: Int64?
        public var lastOpenTime: Int64?
        public var rows: Int
        /// When it was recorded (transaction time).
        public var recordedAt: Date
    }

    public var exchange: ExchangeID
    public var symbol: String
    public var interval: KlineInterval
    /// The date asked about.
    public var asOf: Date
    /// Candles known then, and the open times (µs) of the first and the last.
    public var rows: Int
    public var first: Int64?
    public var last: Int64?
    /// Missing runs between the first and the last known candle.
    public var missing: [Missing]
    /// The loads recorded by then, oldest first.
    public var loads: [Load]
}

extension KlineWarehouse {
    /// What was known at `asOf` of `symbol`'s `interval` candles on `exchange`: the candles whose
    /// first load was recorded by then (or that predate the ledger), their first and last open
    /// time and the gaps between, and the ledger's loads up to then. Candle values are today's:
    /// a candle stored again keeps its first load, and the ledger keeps no second copy.
    public func coverage(
        exchange: ExchangeID = .binance, symbol: String, interval: KlineInterval = .oneMinute, asOf: Date
    ) throws -> Coverage {
        let at = asOf.microsecondsSinceEpoch
        return try writer.read { db in
            let known = """
                exchange = :exchange AND symbol = :symbol
                AND (load_id IS NULL OR load_id IN (
                    SELECT id FROM load_ledger WHERE exchange = :exchange AND symbol = :symbol AND interval = :interval AND recorded_at <= :at))
                """
            let arguments: StatementArguments = ["exchange": exchange.rawValue, "symbol": symbol, "interval": interval.rawValue, "at": at]
            let summary = try Row.fetchOne(
                db, sql: "SELECT COUNT(*), MIN(open_time), MAX(open_time) FROM \(interval.tableName) WHERE \(known)", arguments: arguments)
            var missing: [Coverage.Missing] = []
            if let step = interval.microseconds {
                let gaps = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT previous, open_time FROM (
                            SELECT open_time, LAG(open_time) OVER (ORDER BY open_time) AS previous
                            FROM \(interval.tableName) WHERE \(known))
                        WHERE open_time - previous > \(step)
                        """, arguments: arguments)
                missing = gaps.map { row in
                    let previous: Int64 = row[0], next: Int64 = row[1]
                    return Coverage.Missing(start: previous + step, end: next - step, bars: Int((next - previous) / step) - 1)
                }
            }
            let loads = try Row.fetchAll(
                db,
                sql: """
                    SELECT source, first_open_time, last_open_time, rows, recorded_at FROM load_ledger
                    WHERE exchange = :exchange AND symbol = :symbol AND interval = :interval AND recorded_at <= :at
                    ORDER BY recorded_at, id
                    """, arguments: arguments
            ).map {
                Coverage.Load(
                    source: $0[0], firstOpenTime: $0[1], lastOpenTime: $0[2], rows: $0[3], recordedAt: Date(microsecondsSinceEpoch: $0[4]))
            }
            return Coverage(
                exchange: exchange, symbol: symbol, interval: interval, asOf: asOf, rows: summary?[0] ?? 0, first: summary?[1],
                last: summary?[2], missing: missing, loads: loads)
        }
    }

    /// Every exchange, symbol and interval the ledger or the tables know, for `coverage`.
    public func coveredSeries() throws -> [(exchange: ExchangeID, symbol: String, interval: KlineInterval)] {
        try writer.read { db in
            var series = Set<[String]>()
            for row in try Row.fetchAll(db, sql: "SELECT DISTINCT exchange, symbol, interval FROM load_ledger") {
                series.insert([row[0], row[1], row[2]])
            }
            for interval in KlineInterval.allCases {
                for row in try Row.fetchAll(db, sql: "SELECT DISTINCT exchange, symbol FROM \(interval.tableName) WHERE load_id IS NULL") {
                    series.insert([row[0], row[1], interval.rawValue])
                }
            }
            let order = Dictionary(uniqueKeysWithValues: KlineInterval.allCases.enumerated().map { ($1, $0) })
            return series.compactMap { parts -> (ExchangeID, String, KlineInterval)? in
                guard let exchange = ExchangeID(rawValue: parts[0]), let interval = KlineInterval(rawValue: parts[2]) else { return nil }
                return (exchange, parts[1], interval)
            }.sorted { ($0.0, $0.1, order[$0.2]!) < ($1.0, $1.1, order[$1.2]!) }
        }
    }
}
