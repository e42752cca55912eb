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
    public static func parse(_ bytes: [UInt8], source: String, period: KlinePeriod? = nil,
                             interval: KlineInterval? = nil) throws(KlineCSVError) -> [Kline] {
        var klines: [Kline] = []
        try parse(bytes, source: source, period: period, interval: interval, chunkRows: .max) { klines = $0 }
        return klines
    }

    /// Parses CSV bytes, handing rows to `body` in chunks of up to `chunkRows` as it goes, so
    /// a consumer can start on them early (the warehouse inserts while the rest parses).
    /// When it throws, the chunks already handed over belong to a bad file: discard them.
    /// Returns how many rows were dropped as exact repeats of the row before them.
    @discardableResult
    public static func parse(_ bytes: [UInt8], source: String, period: KlinePeriod? = nil,
                             interval: KlineInterval? = nil, chunkRows: Int,
                             _ body: ([Kline]) -> Void) throws(KlineCSVError) -> Int {
        let result = bytes.withUnsafeBytes { raw in
            parseChunks(raw, source: source, period: period, interval: interval,
                        chunkRows: max(1, chunkRows), emit: body)
        }
        return try result.get()
    }

    static func parseChunks(_ raw: UnsafeRawBufferPointer, source: String, period: KlinePeriod?,
                            interval: KlineInterval?, chunkRows: Int,
                            emit: ([Kline]) -> Void) -> Result<Int, KlineCSVError> {
        guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count > 0 else { return .success(0) }
        let count = raw.count
        let capacity = min(chunkRows, count / 110 + 1)
        var klines: [Kline] = []
        klines.reserveCapacity(capacity)
        var lineStart = 0
        var lineNumber = 0
        let periodStart = period?.start ?? .min
        let periodEnd = period?.end ?? .max
        let (gridStep, gridOrigin) = interval?.openTimeGrid ?? (1, 0)
        let monthly = interval == .oneMonth
        // The last row kept (its open time and line; the row itself is `klines.last` or, right
        // after a chunk is handed over, `lastEmitted`), and the exact repeats dropped.
        var previousOpenTime = Int64.min, previousLine = 0
        var lastEmitted: Kline?
        var duplicates = 0
        func openTimeError(_ line: Int, _ reason: String) -> Result<Int, KlineCSVError> {
            .failure(KlineCSVError(source: source, line: line, column: 1, reason: reason))
        }
        while lineStart < count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < count && base[lineEnd] != 10 { lineEnd += 1 }
            let next = lineEnd + 1
            if lineEnd > lineStart && base[lineEnd - 1] == 13 { lineEnd -= 1 }
            defer { lineStart = next }
            if lineNumber == 1, lineEnd > lineStart, !(base[lineStart] &- 48 < 10) {
                continue   // a futures-style header row such as `open_time,open,...`
            }
            switch parseRow(base, start: lineStart, end: lineEnd) {
            case .success(let kline):
                let openTime = kline.openTime
                if _slowPath(openTime <= previousOpenTime) {
                    let time = UTCCalendar.iso8601(microseconds: openTime)
                    if openTime == previousOpenTime {
                        if kline == klines.last ?? lastEmitted { duplicates += 1; continue }
                        return openTimeError(lineNumber, "open time \(time) repeats line \(previousLine) with other values")
                    }
                    return openTimeError(lineNumber, "open time \(time) is before line \(previousLine)'s "
                        + "(\(UTCCalendar.iso8601(microseconds: previousOpenTime))): rows must be in time order")
                }
                if openTime < periodStart || openTime >= periodEnd, let period {
                    return openTimeError(lineNumber,
                        "open time \(UTCCalendar.iso8601(microseconds: openTime)) is outside the file's period \(period)")
                }
                if _slowPath((openTime &- gridOrigin) % gridStep != 0
                             || (monthly && UTCCalendar.civil(fromMicroseconds: openTime).day != 1)), let interval {
                    return openTimeError(lineNumber,
                        "open time \(UTCCalendar.iso8601(microseconds: openTime)) is off \(interval.gridDescription)")
                }
                previousOpenTime = openTime
                previousLine = lineNumber
                klines.append(kline)
                if klines.count == chunkRows {
                    emit(klines)
                    lastEmitted = kline
                    klines = []
                    klines.reserveCapacity(capacity)
                }
            case .failure(let failure):
                let field = fieldText(base, start: lineStart, end: lineEnd, column: failure.column)
                let reason = failure.column == nil ? failure.reason : "'\(field)' \(failure.reason)"
                return .failure(KlineCSVError(source: source, line: lineNumber, column: failure.column, reason: reason))
            }
        }
        if !klines.isEmpty { emit(klines) }
        return .success(duplicates)
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
            p += 1   // the ','
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
            // One branch for the rows every market produces; the column at fault only when one is.
            if _slowPath(high < low || low.units < 0 || open < low || open > high || close < low || close > high
                         || volume.units < 0 || quoteVolume.units < 0 || takerBase.units < 0 || takerQuote.units < 0) {
                let failure: RowFailure
                if high < low { failure = RowFailure(column: 3, reason: "is below the low (\(low))") }
                else if low.units < 0 { failure = RowFailure(column: 4, reason: "is negative") }
                else if open < low { failure = RowFailure(column: 2, reason: "is below the low (\(low))") }
                else if open > high { failure = RowFailure(column: 2, reason: "is above the high (\(high))") }
                else if close < low { failure = RowFailure(column: 5, reason: "is below the low (\(low))") }
                else if close > high { failure = RowFailure(column: 5, reason: "is above the high (\(high))") }
                else if volume.units < 0 { failure = RowFailure(column: 6, reason: "is negative") }
                else if quoteVolume.units < 0 { failure = RowFailure(column: 8, reason: "is negative") }
                else if takerBase.units < 0 { failure = RowFailure(column: 10, reason: "is negative") }
                else { failure = RowFailure(column: 11, reason: "is negative") }
                return .failure(failure)
            }
            return .success(Kline(openTime: openTime, open: open, high: high, low: low, close: close,
                                  volume: volume, closeTime: closeTime, quoteVolume: quoteVolume,
                                  trades: trades, takerBuyBaseVolume: takerBase, takerBuyQuoteVolume: takerQuote))
        } catch {
            return .failure(error)
        }
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
