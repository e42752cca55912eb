import Foundation

/// Date and duration text for CLI output: ISO-8601 UTC instants and short durations.
///
/// ```swift
/// TimeText.iso8601(Date(timeIntervalSince1970: 0))   // "1970-01-01T00:00:00Z"
/// TimeText.duration(129.4)                           // "2m09s"
/// ```
public enum TimeText {
    /// `2024-05-01T10:00:02Z` (whole seconds, UTC), without `DateFormatter`.
    public static func iso8601(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = civil(fromDays: days)
        var text = ""
        text.reserveCapacity(20)
        append(year, width: 4, to: &text); text += "-"
        append(month, width: 2, to: &text); text += "-"
        append(day, width: 2, to: &text); text += "T"
        append(secondOfDay / 3600, width: 2, to: &text); text += ":"
        append(secondOfDay / 60 % 60, width: 2, to: &text); text += ":"
        append(secondOfDay % 60, width: 2, to: &text); text += "Z"
        return text
    }

    /// A short duration: `0.25s`, `12.3s`, `2m09s`, `1h02m`, `3d04h`; negative → `0s`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0s" }
        if seconds < 1 { return String(format: "%.2fs", seconds) }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds.rounded(.down))
        if whole < 3600 { return "\(whole / 60)m\(pad(whole % 60))s" }
        if whole < 86_400 { return "\(whole / 3600)h\(pad(whole / 60 % 60))m" }
        return "\(whole / 86_400)d\(pad(whole / 3600 % 24))h"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static func append(_ value: Int, width: Int, to text: inout String) {
        let digits = String(value)
        if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
        text += digits
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && a < 0) ? q - 1 : q
    }

    private static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (Int(yoe + era * 400) + (month <= 2 ? 1 : 0), month, day)
    }
}
