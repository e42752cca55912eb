import Foundation

/// One partition of the warehouse: a symbol on an exchange for one UTC month, and how much of it
/// is loaded (`updraft data partitions`; `updraft data backfill` re-runs the missing, partial and
/// failed ones).
public struct PartitionState: Sendable, Hashable, Codable {
    /// Where a partition stands.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// No day of the month has a candle.
        case missing
        /// Every day of the month (up to yesterday for the current one) has candles.
        case loaded
        /// Some days have candles, some have none.
        case partial
        /// The last load of the month failed (its error is kept) and the month is not complete.
        case failed

        /// Whether a backfill loads it again.
        public var needsBackfill: Bool { self != .loaded }
    }

    public var exchange: ExchangeID
    /// The pair run together (`BTCUSDT`).
    public var symbol: String
    /// `YYYY-MM`.
    public var month: String
    public var state: State
    /// Days with at least one 1-minute candle, and the days the month should have.
    public var daysLoaded: Int
    public var daysExpected: Int
    /// The last load failure, while the month is not complete.
    public var error: String?
    /// When the state was last computed or a failure recorded.
    public var updatedAt: Date

    /// A partition from its fields.
    public init(
        exchange: ExchangeID, symbol: String, month: String, state: State, daysLoaded: Int, daysExpected: Int, error: String?,
        updatedAt: Date
    ) {
        self.exchange = exchange
        self.symbol = symbol
        self.month = month
        self.state = state
        self.daysLoaded = daysLoaded
        self.daysExpected = daysExpected
        self.error = error
        self.updatedAt = updatedAt
    }

    /// `YYYY-MM` of a time (µs, UTC).
    public static func month(ofMicroseconds value: Int64) -> String {
        let (year, month, _) = UTCCalendar.civil(fromMicroseconds: value)
        return String(format: "%04d-%02d", year, month)
    }

    /// The months (`YYYY-MM`) from the one holding `start` to the one holding `end` (µs), in order.
    public static func months(from start: Int64, to end: Int64) -> [String] {
        var (year, month, _) = UTCCalendar.civil(fromMicroseconds: start)
        let last = UTCCalendar.civil(fromMicroseconds: end)
        var out: [String] = []
        while (year, month) <= (last.year, last.month) {
            out.append(String(format: "%04d-%02d", year, month))
            month += 1
            if month > 12 { (year, month) = (year + 1, 1) }
        }
        return out
    }

    /// The first µs of `YYYY-MM` and of the month after; nil when the text is not a month.
    public static func bounds(ofMonth text: String) -> (start: Int64, end: Int64)? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
            (1...12).contains(month)
        else { return nil }
        let start = UTCCalendar.microseconds(year: year, month: month, day: 1)
        let end =
            month == 12
            ? UTCCalendar.microseconds(year: year + 1, month: 1, day: 1) : UTCCalendar.microseconds(year: year, month: month + 1, day: 1)
        return (start, end)
    }
}
