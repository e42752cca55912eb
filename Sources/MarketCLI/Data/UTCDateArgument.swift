import ArgumentParser
import Foundation
import MarketData
import UpdraftCLI

/// An ISO 8601 date (`2024-01-15`, midnight UTC) or date-time in UTC
/// (`2024-01-15T10:30`, `2024-01-15T10:30:00Z`, `2024-01-15T10:30:00.5+00:00`) as µs.
struct UTCDateArgument: ExpressibleByArgument, Sendable {
    /// µs since the Unix epoch.
    var microseconds: Int64

    init?(argument: String) {
        guard let value = Self.parse(argument) else { return nil }
        microseconds = value
    }

    static func parse(_ text: String) -> Int64? {
        var rest = Substring(text)
        for suffix in ["Z", "z", "+00:00", "+0000"] where rest.hasSuffix(suffix) { rest = rest.dropLast(suffix.count); break }
        let halves = rest.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        let dateParts = halves[0].split(separator: "-", omittingEmptySubsequences: false)
        guard dateParts.count == 3, dateParts[0].count == 4, dateParts[1].count == 2, dateParts[2].count == 2,
            let year = Int(dateParts[0]), let month = Int(dateParts[1]), let day = Int(dateParts[2]),
            (1...12).contains(month), day >= 1, day <= UTCCalendar.daysIn(year: year, month: month)
        else { return nil }
        var value = UTCCalendar.microseconds(year: year, month: month, day: day)
        guard halves.count == 2 else { return rest == halves[0] && text == String(halves[0]) ? value : nil }
        let timeParts = halves[1].split(separator: ":", omittingEmptySubsequences: false)
        guard timeParts.count == 2 || timeParts.count == 3, timeParts[0].count == 2, timeParts[1].count == 2,
            let hour = Int(timeParts[0]), let minute = Int(timeParts[1]), hour < 24, minute < 60
        else { return nil }
        value += Int64(hour * 3600 + minute * 60) * 1_000_000
        if timeParts.count == 3 {
            let secondParts = timeParts[2].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard secondParts[0].count == 2, let second = Int(secondParts[0]), second < 60 else { return nil }
            value += Int64(second) * 1_000_000
            if secondParts.count == 2 {
                let digits = secondParts[1]
                guard (1...6).contains(digits.count), digits.allSatisfy(\.isNumber), let fraction = Int64(digits) else { return nil }
                var scaled = fraction
                for _ in digits.count..<6 { scaled *= 10 }
                value += scaled
            }
        }
        return value
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
