import Foundation

/// Parses `2024-02-29T00:00` or `2024-02-29T00:00:30` as UTC.
func utc(_ text: String) -> Date {
    let full = text.count == 16 ? text + ":00Z" : text + "Z"
    return try! Date(full, strategy: .iso8601)
}

/// Reference matcher built on Foundation's Gregorian calendar, independent of the code under test.
struct ReferenceCron {
    let minutes: Set<Int>, hours: Set<Int>, days: Set<Int>, months: Set<Int>, weekdays: Set<Int>
    let dayOr: Bool
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    func matches(_ date: Date) -> Bool {
        let c = Self.calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: date)
        let domMatch = days.contains(c.day!), dowMatch = weekdays.contains(c.weekday! - 1)
        let dayMatch = dayOr ? (domMatch || dowMatch) : (domMatch && dowMatch)
        return minutes.contains(c.minute!) && hours.contains(c.hour!) && months.contains(c.month!) && dayMatch
    }
}
