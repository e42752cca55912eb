import Foundation
import MarketData

/// Times as the market pages print them: UTC, ISO-like, to the minute.
enum TimeLabel {
    /// `2024-09-21 00:00` (UTC).
    static func minute(_ micros: Int64) -> String {
        let iso = UTCCalendar.iso8601(microseconds: micros)
        return String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// `2024-09-21` (UTC).
    static func day(_ micros: Int64) -> String { String(UTCCalendar.iso8601(microseconds: micros).prefix(10)) }

    /// `2024-09-21T00:00:00Z`, what a range field shows and the API reads back.
    static func iso(_ micros: Int64) -> String { UTCCalendar.iso8601(microseconds: micros) }
}
