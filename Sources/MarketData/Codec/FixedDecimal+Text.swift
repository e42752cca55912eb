/// Byte-level decimal parsing and formatting, shared by the kline CSV codec.
///
/// Both directions run on 64-bit integers for every value whose units fit a `UInt64` (all
/// prices and nearly all volumes) and widen to 128 bits only past that.
extension FixedDecimal {
    static let fractionScales: [UInt64] = [
        100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1,
    ]
    /// The largest whole part whose units, with any fraction, still fit a `UInt64`.
    static let narrowWholeLimit: UInt64 = 184_467_440_736  // ⌊UInt64.max / 10^8⌋ − 1
    /// The largest whole part whose units fit an `Int128`.
    static let wideWholeLimit: UInt128 = UInt128(Int128.max) / 100_000_000

    /// Parses a decimal starting at `position`, stopping at `end` or at a `,`.
    /// When `fieldEnd` is true, anything but `,` or the end after the number is an error.
    @inline(__always)
    static func parse(
        _ bytes: UnsafePointer<UInt8>, position: inout Int, end: Int,
        fieldEnd: Bool
    ) -> Result<FixedDecimal, FixedDecimalError> {
        var p = position
        var negative = false
        if p < end, bytes[p] == UInt8(ascii: "-") { negative = true; p += 1 }
        // Whole digits in a UInt64 while they fit (< 10^19); a 20th significant digit widens.
        var whole: UInt64 = 0
        var digits = 0
        var isWide = false
        while p < end {
            let d = bytes[p] &- 48
            if d > 9 { break }
            if _slowPath(whole >= 1_000_000_000_000_000_000) { isWide = true; break }
            whole = whole &* 10 &+ UInt64(d)
            digits += 1
            p += 1
        }
        var wide: UInt128 = 0
        if _slowPath(isWide) {
            wide = UInt128(whole)
            while p < end {
                let d = bytes[p] &- 48
                if d > 9 { break }
                if wide > wideWholeLimit { return .failure(.outOfRange) }
                wide = wide &* 10 &+ UInt128(d)
                digits += 1
                p += 1
            }
        }
        var fraction: UInt64 = 0
        var fractionCount = 0
        if p < end, bytes[p] == UInt8(ascii: ".") {
            p += 1
            while p < end {
                let d = bytes[p] &- 48
                if d > 9 { break }
                if fractionCount == 8 { return .failure(.tooManyDecimals) }
                fraction = fraction &* 10 &+ UInt64(d)
                fractionCount += 1
                p += 1
            }
        }
        if digits + fractionCount == 0 { return .failure(.notANumber) }
        if fieldEnd, p < end, bytes[p] != UInt8(ascii: ",") { return .failure(.notANumber) }
        let fractionUnits = fraction &* fractionScales[fractionCount]
        let magnitude: Int128
        if _fastPath(!isWide && whole <= narrowWholeLimit) {
            magnitude = Int128(whole &* 100_000_000 &+ fractionUnits)
        } else {
            let wholePart = isWide ? wide : UInt128(whole)
            if wholePart > wideWholeLimit { return .failure(.outOfRange) }
            let units = wholePart &* 100_000_000 &+ UInt128(fractionUnits)
            if units > UInt128(Int128.max) { return .failure(.outOfRange) }
            magnitude = Int128(units)
        }
        position = p
        return .success(FixedDecimal(units: negative ? 0 &- magnitude : magnitude))
    }

    /// Appends the 8-decimal text of `units` (value × 10^8) to `bytes`.
    static func append(_ units: Int128, to bytes: inout [UInt8]) {
        if units < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = units.magnitude
        var fraction: UInt64
        if magnitude <= UInt128(UInt64.max) {
            let narrow = UInt64(truncatingIfNeeded: magnitude)
            appendDecimal(narrow / 100_000_000, to: &bytes)
            fraction = narrow % 100_000_000
        } else {
            appendDecimal(magnitude / 100_000_000, to: &bytes)
            fraction = UInt64(truncatingIfNeeded: magnitude % 100_000_000)
        }
        bytes.append(UInt8(ascii: "."))
        var divisor: UInt64 = 10_000_000
        while divisor > 0 {
            bytes.append(UInt8(truncatingIfNeeded: fraction / divisor) &+ 48)
            fraction %= divisor
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

    /// Appends the decimal digits of a non-negative 128-bit integer: 19 digits at a time.
    static func appendDecimal(_ value: UInt128, to bytes: inout [UInt8]) {
        let chunk: UInt128 = 10_000_000_000_000_000_000
        if value < chunk { return appendDecimal(UInt64(truncatingIfNeeded: value), to: &bytes) }
        appendDecimal(value / chunk, to: &bytes)
        var low = UInt64(truncatingIfNeeded: value % chunk)
        var divisor: UInt64 = 1_000_000_000_000_000_000
        while divisor > 0 {
            bytes.append(UInt8(truncatingIfNeeded: low / divisor) &+ 48)
            low %= divisor
            divisor /= 10
        }
    }
}
