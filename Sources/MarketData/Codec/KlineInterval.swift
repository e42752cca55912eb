/// A Binance kline interval, named as in the public archive (`1mo`, not REST's `1M`).
public enum KlineInterval: String, Sendable, Hashable, CaseIterable, Codable {
    case oneSecond = "1s"
    case oneMinute = "1m", threeMinutes = "3m", fiveMinutes = "5m"
    case fifteenMinutes = "15m", thirtyMinutes = "30m"
    case oneHour = "1h", twoHours = "2h", fourHours = "4h", sixHours = "6h"
    case eightHours = "8h", twelveHours = "12h"
    case oneDay = "1d", threeDays = "3d", oneWeek = "1w"
    case oneMonth = "1mo"

    /// Parses the archive name (`1m`, `1mo`) or REST's `1M` for a month.
    public init?(name: String) {
        if name == "1M" { self = .oneMonth; return }
        self.init(rawValue: name)
    }

    /// The name the REST API's `interval` parameter uses (`1M` for a month).
    public var restName: String { self == .oneMonth ? "1M" : rawValue }

    /// The fixed length in µs, or nil for `1mo` (calendar months vary).
    public var microseconds: Int64? {
        let second: Int64 = 1_000_000
        switch self {
        case .oneSecond: return second
        case .oneMinute: return 60 * second
        case .threeMinutes: return 180 * second
        case .fiveMinutes: return 300 * second
        case .fifteenMinutes: return 900 * second
        case .thirtyMinutes: return 1800 * second
        case .oneHour: return 3600 * second
        case .twoHours: return 7200 * second
        case .fourHours: return 14_400 * second
        case .sixHours: return 21_600 * second
        case .eightHours: return 28_800 * second
        case .twelveHours: return 43_200 * second
        case .oneDay: return 86_400 * second
        case .threeDays: return 259_200 * second
        case .oneWeek: return 604_800 * second
        case .oneMonth: return nil
        }
    }

    /// The open time (µs) of the bar after the one opening at `openTime`.
    public func nextOpenTime(after openTime: Int64) -> Int64 {
        if let step = microseconds { return openTime + step }
        let (year, month, _) = UTCCalendar.civil(fromMicroseconds: openTime)
        return month == 12
            ? UTCCalendar.microseconds(year: year + 1, month: 1, day: 1)
            : UTCCalendar.microseconds(year: year, month: month + 1, day: 1)
    }

    /// The grid bars of this interval open on, in µs UTC: `origin + k × step`. Fixed intervals
    /// count from 1970-01-01 00:00 UTC; `1w` from Monday 1970-01-05, as Binance's weeks open on
    /// Mondays. `3d` and `1mo` get whole days here (Binance's 3-day phase is not checked;
    /// ``isOpenTime(_:)`` also requires the 1st of the month for `1mo`).
    public var openTimeGrid: (step: Int64, origin: Int64) {
        switch self {
        case .oneWeek: (604_800_000_000, 4 * UTCCalendar.microsecondsPerDay)
        case .threeDays, .oneMonth: (UTCCalendar.microsecondsPerDay, 0)
        default: (microseconds ?? UTCCalendar.microsecondsPerDay, 0)
        }
    }

    /// Whether a bar of this interval can open at `openTime` (µs): on ``openTimeGrid``, and for
    /// `1mo` on the 1st of a month.
    public func isOpenTime(_ openTime: Int64) -> Bool {
        let (step, origin) = openTimeGrid
        guard (openTime &- origin) % step == 0 else { return false }
        return self != .oneMonth || UTCCalendar.civil(fromMicroseconds: openTime).day == 1
    }

    /// How the grid is described in an error, e.g. `the 1w grid (weeks open on Monday 00:00 UTC)`.
    var gridDescription: String {
        switch self {
        case .oneWeek: "the 1w grid (weeks open on Monday 00:00 UTC)"
        case .oneMonth: "the 1mo grid (months open on the 1st, 00:00 UTC)"
        case .threeDays: "the 3d grid (bars open at 00:00 UTC)"
        default: "the \(rawValue) grid"
        }
    }

    /// The SQLite table holding klines of this interval in the warehouse, e.g. `tickerdata_1m`.
    public var tableName: String { "tickerdata_" + rawValue }
}
