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

    /// The value as a `Double`: the nearest one while |units| < 2^53 (prices always); for analytics only.
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
