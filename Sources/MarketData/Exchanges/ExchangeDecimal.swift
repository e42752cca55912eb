/// Decimal text as the exchanges print it, into ``FixedDecimal``'s 8 decimals: Binance prints exactly
/// 8, the others print what they like (`"30306.1"`, `"3027558.991928447"`), so digits past the
/// eighth are rounded half away from zero.
enum ExchangeDecimal {
    static func parse(_ text: String) throws(FixedDecimalError) -> FixedDecimal {
        guard let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) > 9 else {
            return try FixedDecimal(parsing: text)
        }
        let keep = text.index(dot, offsetBy: 9)
        var value = try FixedDecimal(parsing: text[..<keep])
        let rest = text[keep...]
        guard let first = rest.first, rest.allSatisfy(\.isNumber) else { throw .notANumber }
        if first >= "5" { value.units += value.units < 0 || text.hasPrefix("-") ? -1 : 1 }
        return value
    }

    /// `price × quantity` to 8 decimals, rounded half away from zero.
    static func product(_ price: FixedDecimal, _ quantity: FixedDecimal) -> FixedDecimal {
        let raw = price.units * quantity.units
        let scale = Int128(FixedDecimal.scale)
        let (quotient, remainder) = raw.quotientAndRemainder(dividingBy: scale)
        let half = scale / 2
        if remainder >= half { return FixedDecimal(units: quotient + 1) }
        if remainder <= -half { return FixedDecimal(units: quotient - 1) }
        return FixedDecimal(units: quotient)
    }
}
