import Foundation

/// Parses a kline CSV whose bytes arrive in order, as an archive member inflates: each call
/// parses the lines completed since the last one, so rows reach their consumer while the rest of
/// the file is still coming. The rules and errors are ``KlineCSV``'s, which parses through this.
public struct KlineCSVReader {
    /// The file named in errors.
    public let source: String
    /// The period every row must open in, when known.
    public let period: KlinePeriod?
    /// The interval whose grid every row must open on, when known.
    public let interval: KlineInterval?
    /// Rows per chunk handed over.
    public let chunkRows: Int
    private let capacity: Int
    /// Where the first line not yet parsed starts, and how many lines came before it.
    private var lineStart = 0
    private var lineNumber = 0
    /// The last row kept (its open time and line; the row itself is `klines.last`: a full
    /// chunk is handed over when the next row is kept).
    private var previousOpenTime = Int64.min
    private var previousLine = 0
    private var klines: [Kline] = []
    /// Rows dropped as exact repeats of the row before them.
    public private(set) var duplicates = 0

    /// `expectedBytes` (the whole file's size, when known) only sizes the chunks' buffers.
    public init(source: String, period: KlinePeriod?, interval: KlineInterval?, chunkRows: Int, expectedBytes: Int) {
        self.source = source
        self.period = period
        self.interval = interval
        self.chunkRows = max(1, chunkRows)
        self.capacity = min(self.chunkRows, expectedBytes / 110 + 1)
    }

    /// Parses the lines of `raw` (the input so far, from its first byte) that end before its
    /// last byte and were not parsed before, handing full chunks to `emit`. With `final`, `raw` is
    /// the whole input: its last line is parsed even without a line end, and the last chunk is
    /// handed over. After a failure the chunks already handed over belong to a bad file.
    public mutating func parse(
        _ raw: UnsafeRawBufferPointer, final: Bool, emit: ([Kline]) -> Void
    ) -> Result<Void, KlineCSVError> {
        guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count > lineStart else {
            if final && !klines.isEmpty { emit(klines); klines = [] }
            return .success(())
        }
        let count = raw.count
        if klines.capacity == 0 { klines.reserveCapacity(capacity) }
        // The state in locals for the loop, written back however it ends.
        var lineStart = self.lineStart, lineNumber = self.lineNumber
        var previousOpenTime = self.previousOpenTime, previousLine = self.previousLine
        var duplicates = self.duplicates
        var klines: [Kline] = []
        swap(&klines, &self.klines)
        defer {
            self.lineStart = lineStart; self.lineNumber = lineNumber
            self.previousOpenTime = previousOpenTime; self.previousLine = previousLine
            self.duplicates = duplicates
            swap(&klines, &self.klines)
        }
        let periodStart = period?.start ?? .min
        let periodEnd = period?.end ?? .max
        let (gridStep, gridOrigin) = interval?.openTimeGrid ?? (1, 0)
        let monthly = interval == .oneMonth
        let chunkRows = self.chunkRows, capacity = self.capacity
        while lineStart < count {
            // memchr finds the line's end with vector instructions, not a byte at a time.
            var lineEnd =
                memchr(base + lineStart, 10, count - lineStart).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }
                ?? count
            if lineEnd == count && !final { break }  // the rest of this line has not come yet
            lineNumber += 1
            let next = lineEnd + 1
            if lineEnd > lineStart && base[lineEnd - 1] == 13 { lineEnd -= 1 }
            defer { lineStart = next }
            if lineNumber == 1, lineEnd > lineStart, !(base[lineStart] &- 48 < 10) {
                continue  // a futures-style header row such as `open_time,open,...`
            }
            switch KlineCSV.parseRow(base, start: lineStart, end: lineEnd) {
            case .success(let kline):
                let openTime = kline.openTime
                // One branch for the rows of a good file. The grid needs no division for a row
                // one step after the last (the usual case).
                if _slowPath(
                    openTime <= previousOpenTime || openTime < periodStart || openTime >= periodEnd
                        || (openTime != previousOpenTime &+ gridStep && (openTime &- gridOrigin) % gridStep != 0)
                        || (monthly && UTCCalendar.civil(fromMicroseconds: openTime).day != 1))
                {
                    if openTime == previousOpenTime, kline == klines.last { duplicates += 1; continue }
                    return .failure(
                        KlineCSV.misplacedRow(
                            source: source, line: lineNumber, openTime: openTime,
                            previous: (previousOpenTime, previousLine), period: period, interval: interval))
                }
                previousOpenTime = openTime
                previousLine = lineNumber
                if klines.count == chunkRows {
                    emit(klines)
                    klines = []
                    klines.reserveCapacity(capacity)
                }
                klines.append(kline)
            case .failure(let failure):
                let field = KlineCSV.fieldText(base, start: lineStart, end: lineEnd, column: failure.column)
                let reason = failure.column == nil ? failure.reason : "'\(field)' \(failure.reason)"
                return .failure(KlineCSVError(source: source, line: lineNumber, column: failure.column, reason: reason))
            }
        }
        if final && !klines.isEmpty {
            emit(klines)
            klines = []
        }
        return .success(())
    }
}
