/// Proleptic Gregorian calendar arithmetic in UTC on µs timestamps, with no Foundation
/// calendar (exact, allocation-free, and the same on every platform).
public enum UTCCalendar {
    /// Microseconds in a day.
    public static let microsecondsPerDay: Int64 = 86_400_000_000

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01 (`civil_from_days`).
    public static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// µs since the epoch of midnight UTC on a civil date.
    public static func microseconds(year: Int, month: Int, day: Int) -> Int64 {
        days(year: year, month: month, day: day) * microsecondsPerDay
    }

    /// The civil date (UTC) containing a µs timestamp.
    public static func civil(fromMicroseconds value: Int64) -> (year: Int, month: Int, day: Int) {
        let days = value >= 0 ? value / microsecondsPerDay : (value - microsecondsPerDay + 1) / microsecondsPerDay
        return civil(fromDays: days)
    }

    /// Days in a month of a year.
    public static func daysIn(year: Int, month: Int) -> Int {
        let next = month == 12 ? days(year: year + 1, month: 1, day: 1) : days(year: year, month: month + 1, day: 1)
        return Int(next - days(year: year, month: month, day: 1))
    }

    /// ISO 8601 text of a µs timestamp, e.g. `2024-01-15T10:00:00Z` (fraction only when non-zero).
    public static func iso8601(microseconds value: Int64) -> String {
        let dayCount = value >= 0 ? value / microsecondsPerDay : (value - microsecondsPerDay + 1) / microsecondsPerDay
        let (year, month, day) = civil(fromDays: dayCount)
        let inDay = value - dayCount * microsecondsPerDay
        let seconds = inDay / 1_000_000, fraction = inDay % 1_000_000
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var text =
            "\(year)-\(two(Int64(month)))-\(two(Int64(day)))T"
            + "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
        if fraction != 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: 6 - digits.count) + digits
        }
        return text + "Z"
    }
}
