/// The span a Binance archive file covers: a calendar month or a day, in UTC.
public enum KlinePeriod: Sendable, Hashable, CustomStringConvertible {
    case month(year: Int, month: Int)
    case day(year: Int, month: Int, day: Int)

    /// First µs of the period (inclusive).
    public var start: Int64 {
        switch self {
        case let .month(year, month): UTCCalendar.microseconds(year: year, month: month, day: 1)
        case let .day(year, month, day): UTCCalendar.microseconds(year: year, month: month, day: day)
        }
    }

    /// First µs after the period (exclusive).
    public var end: Int64 {
        switch self {
        case let .month(year, month):
            month == 12
                ? UTCCalendar.microseconds(year: year + 1, month: 1, day: 1)
                : UTCCalendar.microseconds(year: year, month: month + 1, day: 1)
        case .day: start + UTCCalendar.microsecondsPerDay
        }
    }

    /// Whether an open time (µs) falls inside the period.
    public func contains(_ openTime: Int64) -> Bool { openTime >= start && openTime < end }

    /// The period as it appears in file names: `2024-01` or `2024-01-15`.
    public var description: String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        switch self {
        case let .month(year, month): return "\(year)-\(two(month))"
        case let .day(year, month, day): return "\(year)-\(two(month))-\(two(day))"
        }
    }
}
