/// Binance's 12-column kline CSV: parse (spot or futures style) and format (spot bytes).
///
/// Parsing accepts `\n` or `\r\n`, an optional header row (futures files have one: a first
/// line whose first field is not numeric), and times in ms or µs decided per value by
/// magnitude (≥ 10^15 is µs); every time is returned in µs.
///
/// A row no market produces is an error naming the file, line and column: low above high,
/// open or close outside [low, high], a negative price, volume or trade count. Rows must come
/// in time order; a row repeating the one before it exactly is returned once, while the same
/// open time with other values is an error naming both lines.
///
/// ```swift
/// let klines = try KlineCSV.parse(bytes, source: "BTCUSDT-1m-2020-01-01.csv",
///                                 period: .day(year: 2020, month: 1, day: 1), interval: .oneMinute)
/// let same = KlineCSV.format(klines, timeUnit: nil)   // == bytes for a Binance spot file
/// ```
public enum KlineCSV {
    /// Parses CSV bytes. `source` names the file in errors; with a `period`, a row opening
    /// outside it is an error naming the line, and with an `interval`, one opening off its grid
    /// (``KlineInterval/isOpenTime(_:)``).
    public static func parse(
        _ bytes: [UInt8], source: String, period: KlinePeriod? = nil,
        interval: KlineInterval? = nil
    ) throws(KlineCSVError) -> [Kline] {
        var klines: [Kline] = []
        try parse(bytes, source: source, period: period, interval: interval, chunkRows: .max) { klines = $0 }
        return klines
    }

    /// Parses CSV bytes, handing rows to `body` in chunks of up to `chunkRows` as it goes, so
    /// a consumer can start on them early (the warehouse inserts while the rest parses).
    /// When it throws, the chunks already handed over belong to a bad file: discard them.
    /// Returns how many rows were dropped as exact repeats of the row before them.
    @discardableResult
    public static func parse(
        _ bytes: [UInt8], source: String, period: KlinePeriod? = nil,
        interval: KlineInterval? = nil, chunkRows: Int,
        _ body: ([Kline]) -> Void
    ) throws(KlineCSVError) -> Int {
        let result = bytes.withUnsafeBytes { raw in
            parseChunks(
                raw, source: source, period: period, interval: interval,
                chunkRows: max(1, chunkRows), emit: body)
        }
        return try result.get()
    }

    static func parseChunks(
        _ raw: UnsafeRawBufferPointer, source: String, period: KlinePeriod?,
        interval: KlineInterval?, chunkRows: Int,
        emit: ([Kline]) -> Void
    ) -> Result<Int, KlineCSVError> {
        var reader = KlineCSVReader(
            source: source, period: period, interval: interval, chunkRows: chunkRows, expectedBytes: raw.count)
        return reader.parse(raw, final: true, emit: emit).map { reader.duplicates }
    }

    struct RowFailure: Error {
        var column: Int?
        var reason: String
    }

    /// Parses one line [start, end) (no line terminator) into a kline.
    @inline(__always)
    static func parseRow(_ b: UnsafePointer<UInt8>, start: Int, end: Int) -> Result<Kline, RowFailure> {
        if start == end { return .failure(RowFailure(column: nil, reason: "empty line")) }
        var p = start
        var column = 0
        func integer() -> Result<Int64, RowFailure> {
            column += 1
            var value: Int64 = 0
            var digits = 0
            // Up to 16 digits a word at a time (an open time in microseconds has 16), which fit
            // with room to spare; the loop takes any more, with the overflow check.
            while digits < 16, end &- p >= 8 {
                let word = FixedDecimal.loadWord(b + p)
                let count = FixedDecimal.leadingDigitCount(word)
                value = value &* Int64(FixedDecimal.fractionScales[8 &- count]) &+ Int64(FixedDecimal.digitValue(word, count: count))
                digits &+= count
                p &+= count
                if count < 8 { break }
            }
            while p < end {
                let d = b[p] &- 48
                if d > 9 { break }
                if value > 922_337_203_685_477_580 || (value == 922_337_203_685_477_580 && d > 7) {
                    return .failure(RowFailure(column: column, reason: "is out of range"))
                }
                value = value &* 10 &+ Int64(d)
                digits += 1
                p += 1
            }
            if digits == 0 || (p < end && b[p] != 44) {
                return .failure(RowFailure(column: column, reason: "is not an integer"))
            }
            return separator().map { value }
        }
        func decimal() -> Result<FixedDecimal, RowFailure> {
            column += 1
            switch FixedDecimal.parse(b, position: &p, end: end, fieldEnd: true) {
            case .success(let value): return separator().map { value }
            case .failure(let error): return .failure(RowFailure(column: column, reason: error.description))
            }
        }
        func separator() -> Result<Void, RowFailure> {
            if column == 12 { return .success(()) }
            guard p < end else {
                return .failure(RowFailure(column: nil, reason: "has \(column) fields, expected 12"))
            }
            p += 1  // the ','
            return .success(())
        }
        do {
            let openTime = TimeUnit.microseconds(fromRaw: try integer().get())
            let open = try decimal().get(), high = try decimal().get()
            let low = try decimal().get(), close = try decimal().get()
            let volume = try decimal().get()
            let closeTime = TimeUnit.microseconds(fromRaw: try integer().get())
            let quoteVolume = try decimal().get()
            let trades = try integer().get()
            let takerBase = try decimal().get(), takerQuote = try decimal().get()
            // Column 12 ("ignore") is not kept; it must be the last field.
            var fields = 12
            var q = p
            while q < end { if b[q] == 44 { fields += 1 }; q += 1 }
            if fields != 12 { return .failure(RowFailure(column: nil, reason: "has \(fields) fields, expected 12")) }
            // One branch for the rows every market produces (the OR of the units is negative when
            // any is; low ≤ open, close ≤ high also implies low ≤ high).
            let signs = low.units | volume.units | quoteVolume.units | takerBase.units | takerQuote.units
            if _slowPath(signs < 0 || min(open.units, close.units) < low.units || max(open.units, close.units) > high.units) {
                return .failure(
                    impossibility(
                        open: open, high: high, low: low, close: close, volume: volume,
                        quoteVolume: quoteVolume, takerBase: takerBase))
            }
            return .success(
                Kline(
                    openTime: openTime, open: open, high: high, low: low, close: close,
                    volume: volume, closeTime: closeTime, quoteVolume: quoteVolume,
                    trades: trades, takerBuyBaseVolume: takerBase, takerBuyQuoteVolume: takerQuote))
        } catch {
            return .failure(error)
        }
    }

    /// The error for a row whose open time is out of place (the one-branch check in
    /// ``parseChunks``): a repeat with other values, out of time order, outside the period, or
    /// off the interval's grid.
    @inline(never)
    static func misplacedRow(
        source: String, line: Int, openTime: Int64, previous: (openTime: Int64, line: Int),
        period: KlinePeriod?, interval: KlineInterval?
    ) -> KlineCSVError {
        let time = "open time " + UTCCalendar.iso8601(microseconds: openTime)
        let reason: String
        if openTime == previous.openTime {
            reason = "\(time) repeats line \(previous.line) with other values"
        } else if openTime < previous.openTime {
            reason =
                "\(time) is before line \(previous.line)'s (\(UTCCalendar.iso8601(microseconds: previous.openTime))): "
                + "rows must be in time order"
        } else if let period, !period.contains(openTime) {
            reason = "\(time) is outside the file's period \(period)"
        } else {
            reason = "\(time) is off \(interval?.gridDescription ?? "its interval's grid")"
        }
        return KlineCSVError(source: source, line: line, column: 1, reason: reason)
    }

    /// What is wrong with a row that failed the one-branch check in ``parseRow``: the first
    /// column at fault, low above high before anything else.
    @inline(never)
    static func impossibility(
        open: FixedDecimal, high: FixedDecimal, low: FixedDecimal, close: FixedDecimal,
        volume: FixedDecimal, quoteVolume: FixedDecimal, takerBase: FixedDecimal
    ) -> RowFailure {
        if high < low { return RowFailure(column: 3, reason: "is below the low (\(low))") }
        if low.units < 0 { return RowFailure(column: 4, reason: "is negative") }
        if open < low { return RowFailure(column: 2, reason: "is below the low (\(low))") }
        if open > high { return RowFailure(column: 2, reason: "is above the high (\(high))") }
        if close < low { return RowFailure(column: 5, reason: "is below the low (\(low))") }
        if close > high { return RowFailure(column: 5, reason: "is above the high (\(high))") }
        if volume.units < 0 { return RowFailure(column: 6, reason: "is negative") }
        if quoteVolume.units < 0 { return RowFailure(column: 8, reason: "is negative") }
        if takerBase.units < 0 { return RowFailure(column: 10, reason: "is negative") }
        return RowFailure(column: 11, reason: "is negative")
    }

    /// The text of one field (1-based column) of a line, for error messages.
    static func fieldText(_ b: UnsafePointer<UInt8>, start: Int, end: Int, column: Int?) -> String {
        guard let column else { return "" }
        var field = 1
        var fieldStart = start
        var p = start
        while p < end {
            if b[p] == 44 {
                if field == column { break }
                field += 1
                fieldStart = p + 1
            }
            p += 1
        }
        let text = String(decoding: UnsafeBufferPointer(start: b + fieldStart, count: p - fieldStart), as: UTF8.self)
        return text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}
