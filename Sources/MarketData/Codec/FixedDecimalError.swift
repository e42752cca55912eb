/// Why decimal text could not become a ``FixedDecimal``.
public enum FixedDecimalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is empty or holds something other than digits, one `.` and a leading `-`.
    case notANumber
    /// The text has more than 8 digits after the decimal point.
    case tooManyDecimals
    /// The value does not fit `Int128` units of 10⁻⁸ (|value| > ``FixedDecimal/max``).
    case outOfRange

    public var description: String {
        switch self {
        case .notANumber: "is not a decimal number"
        case .tooManyDecimals: "has more than 8 decimals"
        case .outOfRange: "is out of range (at most \(FixedDecimal.max) in magnitude)"
        }
    }
}
