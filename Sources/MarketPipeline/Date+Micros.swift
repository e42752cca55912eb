import Foundation

extension Date {
    /// Microseconds since the Unix epoch (the warehouse's time scale).
    public var micros: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }

    /// The date `micros` microseconds after the Unix epoch.
    public init(micros: Int64) { self.init(timeIntervalSince1970: Double(micros) / 1_000_000) }
}

extension Calendar {
    /// The Gregorian calendar in UTC.
    public static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
