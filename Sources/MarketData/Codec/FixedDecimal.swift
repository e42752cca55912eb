/// An exact decimal with 8 fractional digits, stored as an integer count of 10⁻⁸ units.
///
/// Binance prints every spot price and volume with exactly 8 decimals (`7195.24000000`), so
/// `value × 10^8` is an exact integer. It is kept in an `Int128`: an `Int64` would end at
/// 92,233,720,368.54775807, which real files exceed (a busy minute of a micro-priced coin such
/// as SHIB or PEPE trades 10^11–10^12 tokens; monthly quote volumes of top pairs are larger
/// still). The range is ±(2^127 − 1) × 10⁻⁸, about ±1.7 × 10^30, far past anything Binance
/// prints. Scaled integers are used instead of `Double` (inexact: `0.1` has no binary form) and
/// instead of the decimal text (exact too, but SQLite inserts of 8-byte integers run about
/// twice as fast as inserts of the text, and integers compare and sum without parsing).
///
/// The warehouse stores a value whose units fit an `Int64` as an SQLite INTEGER (nearly every
/// value: the same bytes as before the widening) and a larger one as a 16-byte big-endian BLOB
/// of the `Int128` in the same column; ``isInt64`` tells which.
///
/// ```swift
/// let price = try FixedDecimal(parsing: "7195.24000000")
/// price.units        // 719_524_000_000
/// price.description  // "7195.24000000"
/// let volume = try FixedDecimal(parsing: "512345678901.00000000")
/// volume.isInt64     // false: stored as a BLOB
/// ```
public struct FixedDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value multiplied by 10^8.
    public var units: Int128

    /// Units in one whole: 10^8.
    public static let scale: Int64 = 100_000_000
    /// Fractional digits kept: 8.
    public static let fractionDigits = 8
    /// The largest value: (2^127 − 1) × 10⁻⁸. The smallest is its negation.
    public static let max = FixedDecimal(units: Int128.max)

    /// A value from its scaled units (value × 10^8).
    public init(units: Int128) { self.units = units }

    /// A value from scaled units (value × 10^8) held in an `Int64`, as most call sites have.
    @_disfavoredOverload
    public init(units: Int64) { self.units = Int128(units) }

    /// Zero.
    public static let zero = FixedDecimal(units: 0)

    /// Parses decimal text such as `7195.24000000`, `-0.5` or `42`.
    ///
    /// Throws when the text is not a plain decimal number, has more than 8 decimals, or is
    /// beyond ±``max``.
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

    /// The units as an `Int64` when they fit one (every price; nearly every volume), else nil.
    public var int64Units: Int64? {
        let narrow = Int64(truncatingIfNeeded: units)
        return Int128(narrow) == units ? narrow : nil
    }

    /// Whether the units fit an `Int64` (the warehouse then stores an INTEGER, else a BLOB).
    public var isInt64: Bool { int64Units != nil }

    /// The value as a `Double`: the nearest one while |units| < 2^53 (prices always); for analytics only.
    public var doubleValue: Double {
        if let narrow = int64Units { return Double(narrow) / 1e8 }
        return Double(units) / 1e8
    }

    /// Binance's text form: always 8 decimals, e.g. `7195.24000000`.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(48)
        FixedDecimal.append(units, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (lhs: FixedDecimal, rhs: FixedDecimal) -> Bool { lhs.units < rhs.units }
}
