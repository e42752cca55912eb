/// An exact decimal with 8 fractional digits, stored as an integer count of 10⁻⁸ units.
///
/// Binance prints every spot price and volume with exactly 8 decimals (`7195.24000000`),
/// so `value × 10^8` fits an `Int64` exactly for every value up to 92,233,720,368.54775807.
/// Scaled integers are used instead of `Double` (inexact: `0.1` has no binary form) and
/// instead of the decimal text (exact too, but SQLite inserts of two 8-byte integers run about
/// twice as fast as inserts of the text, and integers compare and sum without parsing).
///
/// ```swift
/// let price = try FixedDecimal(parsing: "7195.24000000")
/// price.units        // 719_524_000_000
/// price.description  // "7195.24000000"
/// ```
public struct FixedDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value multiplied by 10^8.
    public var units: Int64

    /// Units in one whole: 10^8.
    public static let scale: Int64 = 100_000_000
    /// Fractional digits kept: 8.
    public static let fractionDigits = 8

    /// A value from its scaled units (value × 10^8).
    public init(units: Int64) { self.units = units }

    /// Zero.
    public static let zero = FixedDecimal(units: 0)

    /// Parses decimal text such as `7195.24000000`, `-0.5` or `42`.
    ///
    /// Throws when the text is not a plain decimal number, has more than 8 decimals, or is
    /// out of the `Int64 × 10⁻⁸` range.
    public init(parsing text: some StringProtocol) throws(FixedDecimalError) {
        let utf8 = Array(text.utf8)
        let result = utf8.withUnsafeBufferPointer { buffer -> Result<FixedDecimal, FixedDecimalError> in
            guard let base = buffer.baseAddress else { return .failure(.notANumber) }
            var position = 0
            let parsed = FixedDecimal.parse(base, position: &position, end: buffer.count, fieldEnd: true)
            if case .success = parsed, position != buffer.count { return .failure(.notANumber) }
            return parsed
        }
        self = try result.get()
    }

    /// The value as a `Double` (the nearest binary value; for analytics only).
    public var doubleValue: Double { Double(units) / 1e8 }

    /// Binance's text form: always 8 decimals, e.g. `7195.24000000`.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        FixedDecimal.append(units, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (lhs: FixedDecimal, rhs: FixedDecimal) -> Bool { lhs.units < rhs.units }
}

/// Why decimal text could not become a ``FixedDecimal``.
public enum FixedDecimalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is empty or holds something other than digits, one `.` and a leading `-`.
    case notANumber
    /// The text has more than 8 digits after the decimal point.
    case tooManyDecimals
    /// The value does not fit `Int64` units of 10⁻⁸.
    case outOfRange

    public var description: String {
        switch self {
        case .notANumber: "is not a decimal number"
        case .tooManyDecimals: "has more than 8 decimals"
        case .outOfRange: "is out of range (at most 92233720368.54775807)"
        }
    }
}

extension FixedDecimal {
    static let fractionScales: [Int64] = [
        100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1,
    ]

    /// Parses a decimal starting at `position`, stopping at `end` or at a `,`.
    /// When `fieldEnd` is true, anything but `,` or the end after the number is an error.

    static func parse(_ bytes: UnsafePointer<UInt8>, position: inout Int, end: Int,
                      fieldEnd: Bool) -> Result<FixedDecimal, FixedDecimalError> {
        var p = position
        var negative = false
        if p < end, bytes[p] == UInt8(ascii: "-") { negative = true; p += 1 }
        var whole: Int64 = 0
        var digits = 0
        while p < end {
            let d = bytes[p] &- 48
            if d > 9 { break }
            if whole > 92_233_720_368 { return .failure(.outOfRange) }
            whole = whole &* 10 &+ Int64(d)
            digits += 1
            p += 1
        }
        var fraction: Int64 = 0
        var fractionCount = 0
        if p < end, bytes[p] == UInt8(ascii: ".") {
            p += 1
            while p < end {
                let d = bytes[p] &- 48
                if d > 9 { break }
                if fractionCount == 8 { return .failure(.tooManyDecimals) }
                fraction = fraction &* 10 &+ Int64(d)
                fractionCount += 1
                p += 1
            }
        }
        if digits + fractionCount == 0 { return .failure(.notANumber) }
        if fieldEnd, p < end, bytes[p] != UInt8(ascii: ",") { return .failure(.notANumber) }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: scale)
        if overflow { return .failure(.outOfRange) }
        let (units, overflow2) = scaled.addingReportingOverflow(fraction &* fractionScales[fractionCount])
        if overflow2 { return .failure(.outOfRange) }
        position = p
        return .success(FixedDecimal(units: negative ? -units : units))
    }

    /// Appends the 8-decimal text of `units` (value × 10^8) to `bytes`.

    static func append(_ units: Int64, to bytes: inout [UInt8]) {
        var magnitude = units.magnitude
        if units < 0 { bytes.append(UInt8(ascii: "-")) }
        let whole = magnitude / 100_000_000
        magnitude %= 100_000_000
        appendDecimal(whole, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        var divisor: UInt64 = 10_000_000
        while divisor > 0 {
            bytes.append(UInt8(truncatingIfNeeded: magnitude / divisor) &+ 48)
            magnitude %= divisor
            divisor /= 10
        }
    }

    /// Appends the decimal digits of a non-negative integer to `bytes`.

    static func appendDecimal(_ value: UInt64, to bytes: inout [UInt8]) {
        var divisor: UInt64 = 1
        while divisor <= value / 10 { divisor &*= 10 }
        while divisor > 0 {
            bytes.append(UInt8(truncatingIfNeeded: value / divisor % 10) &+ 48)
            divisor /= 10
        }
    }
}
