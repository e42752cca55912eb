/// A bar length in whole minutes, written like Binance intervals: `5m`, `15m`, `1h`, `4h`, `1d`,
/// or any `N` minutes (`90m`), hours (`2h`) or days (`3d`).
///
/// ```swift
/// let hourly = try BarInterval("1h")     // 60 minutes
/// let odd = BarInterval(minutes: 7)      // "7m"
/// ```
public struct BarInterval: Sendable, Hashable, CustomStringConvertible {
    /// Length in minutes (≥ 1).
    public let minutes: Int

    /// One minute, the length of Binance `1m` klines.
    public static let oneMinute = BarInterval(minutes: 1)

    /// An interval of `minutes` minutes; `minutes` must be at least 1.
    public init(minutes: Int) {
        precondition(minutes >= 1, "a bar interval is at least one minute, got \(minutes)")
        self.minutes = minutes
    }

    /// Parses `<N>m`, `<N>h` or `<N>d` (N ≥ 1); a bare number means minutes.
    public init(_ text: String) throws(BarIntervalError) {
        let trimmed = text.trimmingPrefixAndSuffixSpaces()
        guard let last = trimmed.last else { throw BarIntervalError(text: text) }
        let unit: Int
        var digits = Substring(trimmed)
        switch last {
        case "m": unit = 1; digits = digits.dropLast()
        case "h": unit = 60; digits = digits.dropLast()
        case "d": unit = 1_440; digits = digits.dropLast()
        default: unit = 1
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let count = Int(digits), count >= 1,
            count <= Int.max / unit / 60_000_000
        else {
            throw BarIntervalError(text: text)
        }
        self.init(minutes: count * unit)
    }

    /// Length in microseconds.
    public var microseconds: Int64 { Int64(minutes) * 60_000_000 }

    /// The shortest form: `1d`, `4h`, `15m`.
    public var description: String {
        if minutes % 1_440 == 0 { return "\(minutes / 1_440)d" }
        if minutes % 60 == 0 { return "\(minutes / 60)h" }
        return "\(minutes)m"
    }

    /// Start (µs) of the UTC bucket containing `time` (µs): buckets are aligned to the Unix
    /// epoch, so `1d` buckets start at 00:00 UTC and `4h` ones at 00:00, 04:00, … UTC.
    public func bucketStart(containing time: Int64) -> Int64 {
        let width = microseconds
        let remainder = time % width
        return remainder >= 0 ? time - remainder : time - remainder - width
    }
}

/// A bar interval that could not be read; names the text at fault.
public struct BarIntervalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text given.
    public var text: String

    public var description: String {
        "invalid interval '\(text)': expected <N>m, <N>h or <N>d with N ≥ 1 (e.g. 5m, 15m, 1h, 4h, 1d)"
    }
}

extension String {
    fileprivate func trimmingPrefixAndSuffixSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }
}
