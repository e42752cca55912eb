/// Binance's 12-column kline CSV: parse (spot or futures style) and format (spot bytes).
///
/// Parsing accepts `\n` or `\r\n`, an optional header row (futures files have one: a first
/// line whose first field is not numeric), and times in ms or µs decided per value by
/// magnitude (≥ 10^15 is µs); every time is returned in µs.
///
/// ```swift
/// let klines = try KlineCSV.parse(bytes, source: "BTCUSDT-1m-2020-01-01.csv",
///                                 period: .day(year: 2020, month: 1, day: 1))
/// let same = KlineCSV.format(klines, timeUnit: nil)   // == bytes for a Binance spot file
/// ```
public enum KlineCSV {
    /// Parses CSV bytes. `source` names the file in errors; with a `period`, a row opening
    /// outside it is an error naming the line.
    public static func parse(_ bytes: [UInt8], source: String,
                             period: KlinePeriod? = nil) throws(KlineCSVError) -> [Kline] {
        var klines: [Kline] = []
        try parse(bytes, source: source, period: period, chunkRows: .max) { klines = $0 }
        return klines
    }

    /// Parses CSV bytes, handing rows to `body` in chunks of up to `chunkRows` as it goes, so
    /// a consumer can start on them early (the warehouse inserts while the rest parses).
    /// When it throws, the chunks already handed over belong to a bad file: discard them.
    public static func parse(_ bytes: [UInt8], source: String, period: KlinePeriod? = nil,
                             chunkRows: Int, _ body: ([Kline]) -> Void) throws(KlineCSVError) {
        let failure = bytes.withUnsafeBytes { raw in
            parseChunks(raw, source: source, period: period, chunkRows: max(1, chunkRows), emit: body)
        }
        if let failure { throw failure }
    }

    static func parseChunks(_ raw: UnsafeRawBufferPointer, source: String, period: KlinePeriod?,
                            chunkRows: Int, emit: ([Kline]) -> Void) -> KlineCSVError? {
        guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count > 0 else { return nil }
        let count = raw.count
        let capacity = min(chunkRows, count / 110 + 1)
        var klines: [Kline] = []
        klines.reserveCapacity(capacity)
        var lineStart = 0
        var lineNumber = 0
        let periodStart = period?.start ?? .min
        let periodEnd = period?.end ?? .max
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
                if kline.openTime < periodStart || kline.openTime >= periodEnd, let period {
                    return KlineCSVError(
                        source: source, line: lineNumber, column: 1,
                        reason: "open time \(UTCCalendar.iso8601(microseconds: kline.openTime)) is outside the file's period \(period)")
                }
                klines.append(kline)
                if klines.count == chunkRows {
                    emit(klines)
                    klines = []
                    klines.reserveCapacity(capacity)
                }
            case .failure(let failure):
                let field = fieldText(base, start: lineStart, end: lineEnd, column: failure.column)
                let reason = failure.column == nil ? failure.reason : "'\(field)' \(failure.reason)"
                return KlineCSVError(source: source, line: lineNumber, column: failure.column, reason: reason)
            }
        }
        if !klines.isEmpty { emit(klines) }
        return nil
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
