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
        guard (0...9999).contains(year) else { return String(year) + "-…" }
        return String(unsafeUninitializedCapacity: 20) { buffer in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var value = value
                for position in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, 4, at: 0); buffer[4] = UInt8(ascii: "-")
            put(month, 2, at: 5); buffer[7] = UInt8(ascii: "-")
            put(day, 2, at: 8); buffer[10] = UInt8(ascii: "T")
            put(secondOfDay / 3600, 2, at: 11); buffer[13] = UInt8(ascii: ":")
            put(secondOfDay / 60 % 60, 2, at: 14); buffer[16] = UInt8(ascii: ":")
            put(secondOfDay % 60, 2, at: 17); buffer[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// A short duration: `0.25s`, `12.3s`, `2m09s`, `1h02m`, `3d04h`; negative → `0s`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0s" }
        if seconds < 1 {
            let hundredths = Int((seconds * 100).rounded())
            return hundredths >= 100 ? "1.0s" : "0.\(pad(hundredths))s"
        }
        if seconds < 60 {
            let tenths = Int((seconds * 10).rounded())
            return tenths >= 600 ? "1m00s" : "\(tenths / 10).\(tenths % 10)s"
        }
        let whole = Int(seconds.rounded(.down))
        if whole < 3600 { return "\(whole / 60)m\(pad(whole % 60))s" }
        if whole < 86_400 { return "\(whole / 3600)h\(pad(whole / 60 % 60))m" }
        return "\(whole / 86_400)d\(pad(whole / 3600 % 24))h"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

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
