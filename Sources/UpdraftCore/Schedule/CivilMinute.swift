import Foundation

/// A UTC calendar minute in plain integers (proleptic Gregorian), for fast cron arithmetic.
///
/// Conversions use Howard Hinnant's days-from-civil algorithms, so no `Calendar` is involved.
struct CivilMinute: Hashable, Sendable {
    var year: Int
    var month: Int  // 1...12
    var day: Int  // 1...31
    var hour: Int  // 0...23
    var minute: Int  // 0...59

    /// The minute containing `epochSeconds` (floored).
    init(epochSeconds: Int64) {
        let minutes = Self.floorDiv(epochSeconds, 60)
        let days = Self.floorDiv(minutes, 1440)
        let minuteOfDay = Int(minutes - days * 1440)
        (year, month, day) = Self.civil(fromDays: days)
        hour = minuteOfDay / 60
        minute = minuteOfDay % 60
    }

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// Seconds since the Unix epoch at the start of this minute.
    var epochSeconds: Int64 {
        let days = Self.days(fromCivil: year, month, day)
        return (days * 1440 + Int64(hour * 60 + minute)) * 60
    }

    var date: Date { Date(timeIntervalSince1970: TimeInterval(epochSeconds)) }

    /// 0 = Sunday … 6 = Saturday.
    var weekday: Int {
        let days = Self.days(fromCivil: year, month, day)
        return Int(((days + 4) % 7 + 7) % 7)
    }

    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yoe + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    // MARK: Stepping (used by the cron search)

    /// 00:00 of the following day.
    mutating func advanceToNextDay() {
        hour = 0
        minute = 0
        day += 1
        if day > Self.daysIn(month: month, year: year) {
            day = 1
            month += 1
            if month > 12 { month = 1; year += 1 }
        }
    }

    /// 23:59 of the preceding day.
    mutating func retreatToPreviousDay() {
        hour = 23
        minute = 59
        day -= 1
        if day < 1 {
            month -= 1
            if month < 1 { month = 12; year -= 1 }
            day = Self.daysIn(month: month, year: year)
        }
    }
}

extension CivilMinute {
    /// `2024-02-29T00:00:00Z` (whole seconds, UTC).
    static func iso8601(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let civil = CivilMinute(epochSeconds: seconds)
        let second = Int(seconds - floorDiv(seconds, 60) * 60)
        func pad(_ value: Int, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(civil.year, 4))-\(pad(civil.month))-\(pad(civil.day))T"
            + "\(pad(civil.hour)):\(pad(civil.minute)):\(pad(second))Z"
    }
}
