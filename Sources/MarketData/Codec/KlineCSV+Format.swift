extension KlineCSV {
    /// Formats klines as Binance spot CSV bytes: no header, 8 decimals, `,` separators,
    /// `\n` after every row, last column `0`.
    ///
    /// - Parameter timeUnit: the unit of the two time columns. `nil` picks it per row the
    ///   way Binance's spot archive does: µs for rows opening from 2025-01-01, else ms. So
    ///   formatting what ``parse(_:source:period:)`` read from a spot file
    ///   reproduces the file byte for byte.
    public static func format(_ klines: [Kline], timeUnit: TimeUnit? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(klines.count * 160)
        for kline in klines { append(kline, timeUnit: timeUnit, to: &out) }
        return out
    }

    /// Appends one formatted row (with its `\n`) to `out`.
    public static func append(_ kline: Kline, timeUnit: TimeUnit?, to out: inout [UInt8]) {
        let unit = timeUnit ?? TimeUnit.archiveUnit(forOpenTime: kline.openTime)
        appendInteger(unit.value(fromMicroseconds: kline.openTime), to: &out)
        out.append(44)
        FixedDecimal.append(kline.open.units, to: &out); out.append(44)
        FixedDecimal.append(kline.high.units, to: &out); out.append(44)
        FixedDecimal.append(kline.low.units, to: &out); out.append(44)
        FixedDecimal.append(kline.close.units, to: &out); out.append(44)
        FixedDecimal.append(kline.volume.units, to: &out); out.append(44)
        appendInteger(unit.value(fromMicroseconds: kline.closeTime), to: &out)
        out.append(44)
        FixedDecimal.append(kline.quoteVolume.units, to: &out); out.append(44)
        appendInteger(kline.trades, to: &out)
        out.append(44)
        FixedDecimal.append(kline.takerBuyBaseVolume.units, to: &out); out.append(44)
        FixedDecimal.append(kline.takerBuyQuoteVolume.units, to: &out); out.append(44)
        out.append(48)  // "0": the ignored 12th column
        out.append(10)
    }

    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(45) }
        FixedDecimal.appendDecimal(value.magnitude, to: &out)
    }
}
