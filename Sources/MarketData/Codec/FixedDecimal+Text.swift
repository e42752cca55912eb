/// Byte-level decimal parsing and formatting, shared by the kline CSV codec.
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
