import Foundation

/// A five-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC.
///
/// Supports lists (`1,15`), ranges (`1-5`), steps (`*/15`, `1-10/2`, `5/10`), month and weekday
/// names (`JAN`–`DEC`, `SUN`–`SAT`, any case), day-of-week 0 and 7 both meaning Sunday, and the
/// presets `@hourly @daily @midnight @weekly @monthly @quarterly @yearly @annually`.
/// When both day-of-month and day-of-week are restricted, a day matches if either matches
/// (Vixie cron and croniter); a field that allows every value counts as unrestricted.
///
/// ```swift
/// let cron = try CronExpression("*/15 9-17 * * MON-FRI")
/// cron.next(after: Date())       // the next quarter hour in office hours
/// ```
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The text as written (trimmed), e.g. `0 0 * * *` or `@daily`.
    public let text: String
    let minutes: CronField
    let hours: CronField
    let daysOfMonth: CronField
    let months: CronField
    let daysOfWeek: CronField

    /// Presets and the five-field expressions they stand for.
    public static let presets: [String: String] = [
        "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
        "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@quarterly": "0 0 1 */3 *",
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
    ]

    /// Parses a five-field expression or a preset; throws an error naming the field at fault.
    public init(_ text: String) throws(ScheduleError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        self.text = trimmed
        var body = trimmed
        if trimmed.hasPrefix("@") {
            guard let expansion = Self.presets[trimmed.lowercased()] else {
                let known = Self.presets.keys.sorted().joined(separator: " ")
                throw ScheduleError(
                    expression: trimmed,
                    reason: "\(trimmed) is not a known preset (\(known))")
            }
            body = expansion
        }
        let fields = body.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw ScheduleError(
                expression: trimmed,
                reason:
                    "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        minutes = try CronField(fields[0], kind: .minute, expression: trimmed)
        hours = try CronField(fields[1], kind: .hour, expression: trimmed)
        daysOfMonth = try CronField(fields[2], kind: .dayOfMonth, expression: trimmed)
        months = try CronField(fields[3], kind: .month, expression: trimmed)
        daysOfWeek = try CronField(fields[4], kind: .dayOfWeek, expression: trimmed)
        try checkSomeDayExists()
    }

    /// The text as written.
    public var description: String { text }

    /// The first fire time strictly after `date`, or nil if there is none (never for a valid
    /// expression). Jumps field by field, so rare schedules like `0 0 29 2 *` are found at once.
    public func next(after date: Date) -> Date? {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var t = CivilMinute(epochSeconds: CivilMinute.floorDiv(seconds, 60) * 60 + 60)
        let lastYear = t.year + 500
        while t.year <= lastYear {
            if !months.contains(t.month) {
                if let month = months.first(atLeast: t.month + 1), month <= 12 {
                    t = CivilMinute(year: t.year, month: month, day: 1, hour: 0, minute: 0)
                } else {
                    t = CivilMinute(year: t.year + 1, month: months.first(atLeast: 1)!, day: 1, hour: 0, minute: 0)
                }
            } else if !dayMatches(t) {
                t.advanceToNextDay()
            } else if !hours.contains(t.hour) {
                if let hour = hours.first(atLeast: t.hour + 1), hour <= 23 {
                    t.hour = hour
                    t.minute = 0
                } else {
                    t.advanceToNextDay()
                }
            } else if !minutes.contains(t.minute) {
                if let minute = minutes.first(atLeast: t.minute + 1), minute <= 59 {
                    t.minute = minute
                } else if t.hour < 23 {
                    t.hour += 1
                    t.minute = 0
                } else {
                    t.advanceToNextDay()
                }
            } else {
                return t.date
            }
        }
        return nil
    }

    /// The last fire time strictly before `date`, or nil if there is none.
    public func previous(before date: Date) -> Date? {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var start = CivilMinute.floorDiv(seconds, 60) * 60
        if TimeInterval(start) == date.timeIntervalSince1970 { start -= 60 }
        var t = CivilMinute(epochSeconds: start)
        let firstYear = t.year - 500
        while t.year >= firstYear {
            if !months.contains(t.month) {
                let month: Int
                if let found = months.last(atMost: t.month - 1), found >= 1 {
                    month = found
                } else {
                    t.year -= 1
                    month = months.last(atMost: 12)!
                }
                t = CivilMinute(
                    year: t.year, month: month, day: CivilMinute.daysIn(month: month, year: t.year),
                    hour: 23, minute: 59)
            } else if !dayMatches(t) {
                t.retreatToPreviousDay()
            } else if !hours.contains(t.hour) {
                if let hour = hours.last(atMost: t.hour - 1) {
                    t.hour = hour
                    t.minute = 59
                } else {
                    t.retreatToPreviousDay()
                }
            } else if !minutes.contains(t.minute) {
                if let minute = minutes.last(atMost: t.minute - 1) {
                    t.minute = minute
                } else if t.hour > 0 {
                    t.hour -= 1
                    t.minute = 59
                } else {
                    t.retreatToPreviousDay()
                }
            } else {
                return t.date
            }
        }
        return nil
    }

    /// True when `date` is exactly a fire time (whole minute, all fields match).
    public func matches(_ date: Date) -> Bool {
        let seconds = date.timeIntervalSince1970
        guard seconds == seconds.rounded(.down), Int64(seconds) % 60 == 0 else { return false }
        let t = CivilMinute(epochSeconds: Int64(seconds))
        return months.contains(t.month) && dayMatches(t) && hours.contains(t.hour) && minutes.contains(t.minute)
    }

    private func dayMatches(_ t: CivilMinute) -> Bool {
        let domMatch = daysOfMonth.contains(t.day)
        let dowMatch = daysOfWeek.contains(t.weekday)
        if daysOfMonth.isUnrestricted || daysOfWeek.isUnrestricted { return domMatch && dowMatch }
        return domMatch || dowMatch
    }

    /// Rejects expressions that can never fire, such as `0 0 30 2 *`.
    private func checkSomeDayExists() throws(ScheduleError) {
        guard daysOfWeek.isUnrestricted else { return }
        let longest = (1...12).filter(months.contains).map { CivilMinute.daysIn(month: $0, year: 2000) }.max() ?? 0
        guard let firstDay = daysOfMonth.first(atLeast: 1), firstDay > longest else { return }
        let monthNames = (1...12).filter(months.contains).map { CronField.Kind.month.names[$0 - 1] }
        throw ScheduleError(
            expression: text, field: CronField.Kind.dayOfMonth.name,
            reason:
                "day-of-month \(firstDay) never occurs in \(monthNames.joined(separator: ","))")
    }

    public static func == (lhs: CronExpression, rhs: CronExpression) -> Bool {
        lhs.minutes == rhs.minutes && lhs.hours == rhs.hours && lhs.daysOfMonth == rhs.daysOfMonth
            && lhs.months == rhs.months && lhs.daysOfWeek == rhs.daysOfWeek
    }

    public func hash(into hasher: inout Hasher) {
        for field in [minutes, hours, daysOfMonth, months, daysOfWeek] { hasher.combine(field) }
    }
}
