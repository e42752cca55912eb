/// Byte-level decimal parsing and formatting, shared by the kline CSV codec.
///
/// Both directions run on 64-bit integers for every value whose units fit a `UInt64` (all
/// prices and nearly all volumes) and widen to 128 bits only past that.
extension FixedDecimal {
    /// 10^(8 − i): the units of a fraction of i digits, and 10^n at index 8 − n.
    static let fractionScales: [UInt64] = [
        100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1,
    ]
    /// The largest whole part whose units, with any fraction, still fit a `UInt64`.
    static let narrowWholeLimit: UInt64 = 184_467_440_736  // ⌊UInt64.max / 10^8⌋ − 1
    /// The largest whole part whose units fit an `Int128`.
    static let wideWholeLimit: UInt128 = UInt128(Int128.max) / 100_000_000

    /// Parses a decimal starting at `position`, stopping at `end` or at a `,`.
    /// When `fieldEnd` is true, anything but `,` or the end after the number is an error.
    /// `wordAtATime` false reads a digit at a time only (the tests' oracle for the word path).
    @inline(__always)
    static func parse(
        _ bytes: UnsafePointer<UInt8>, position: inout Int, end: Int,
        fieldEnd: Bool, wordAtATime: Bool = true
    ) -> Result<FixedDecimal, FixedDecimalError> {
        var p = position
        var negative = false
        if p < end, bytes[p] == UInt8(ascii: "-") { negative = true; p += 1 }
        // Whole digits in a UInt64 while they fit (< 10^19); a 20th significant digit widens.
        var whole: UInt64 = 0
        var digits = 0
        var isWide = false
        // Up to 8 digits at once; the loop below takes any more (and the short tail of a buffer).
        if wordAtATime, _fastPath(end &- p >= 8) {
            let word = loadWord(bytes + p)
            digits = leadingDigitCount(word)
            whole = digitValue(word, count: digits)
            p &+= digits
        }
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
            // Binance writes 8 decimals: one word, with no loop.
            if wordAtATime, _fastPath(end &- p >= 8) {
                let word = loadWord(bytes + p)
                fractionCount = leadingDigitCount(word)
                fraction = digitValue(word, count: fractionCount)
                p &+= fractionCount
            }
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

    /// The 8 bytes at `bytes` as a word whose lowest byte is the first (SWAR: a byte a lane).
    @inline(__always)
    static func loadWord(_ bytes: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self))
    }

    /// How many of the word's bytes, from the first, are ASCII digits (0...8).
    @inline(__always)
    static func leadingDigitCount(_ word: UInt64) -> Int {
        // A digit's byte XOR "0" is 0...9; adding 0x76 to its low 7 bits reaches 0x80 only from
        // 10 up (no carry between bytes: at most 0x7F + 0x76), and the OR keeps a set top bit.
        let x = word ^ 0x3030_3030_3030_3030
        let notDigit = (((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | x) & 0x8080_8080_8080_8080
        return notDigit == 0 ? 8 : notDigit.trailingZeroBitCount >> 3
    }

    /// The value of the first `count` (0...8) bytes of `word`, all ASCII digits.
    @inline(__always)
    static func digitValue(_ word: UInt64, count: Int) -> UInt64 {
        guard count > 0 else { return 0 }
        // The digits moved to the top lanes, zeros (leading zeros) below them; the bytes past
        // them, and any borrow their subtraction makes, leave by the shift.
        var v = (word &- 0x3030_3030_3030_3030) << UInt64(64 &- 8 &* count)
        // Pairs of lanes, then quads, then the whole: 10 × first + second at each step.
        v = (v &* 10) &+ (v >> 8)
        v = (((v & 0x0000_00FF_0000_00FF) &* 0x000F_4240_0000_0064) &+ (((v >> 16) & 0x0000_00FF_0000_00FF) &* 0x0000_2710_0000_0001)) >> 32
        return v
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
