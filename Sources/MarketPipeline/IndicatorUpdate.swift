import Foundation
import GRDB
import Indicators
import MarketData

/// One symbol's step of the `indicators` DAG at one interval: extends its stored indicator outputs
/// by the closed candles that arrived since the last run, exactly as a computation over the
/// whole series would give them.
///
/// At `1m` the candles are `tickerdata_1m`'s, with the forward-filled minutes merged in when
/// `includingFilled` (`data.forward_fill`). At a resampled interval (`5m`, `1h`, …) they are
/// `tickerdata_<interval>`'s complete buckets only: the partial bucket (`is_partial`) and any
/// bucket not closed by `now` wait for the run after they complete, so a stored value never
/// changes under a reader.
///
/// The checkpoint in `indicator_state` says which candles were already included. It still holds
/// when the candles up to it are unchanged (same first candle, same count); then only the new
/// candles are computed, from the stored `IndicatorStream` (or, if the saved state cannot be
/// decoded, from a stream replayed over the included candles; no output is rewritten).
/// When history changed under it (an earlier month loaded, a gap filled; at a resampled interval
/// also a bucket up to the checkpoint rebuilt since it was saved, which a backfill of older minutes
/// does without changing the count), the symbol is recomputed from scratch.
///
/// ```swift
/// let outcome = try IndicatorUpdate.run(symbol: "BTCUSDT", interval: .fiveMinutes, warehouse: warehouse, store: store, now: Date())
/// ```
public enum IndicatorUpdate {
    /// What one step did, for the task log and XCom.
    public struct Outcome: Codable, Sendable, Equatable {
        public enum Mode: String, Codable, Sendable {
            /// Resumed from the stored state: only the new candles were read.
            case resumed
            /// Resumed by replaying the included candles through a fresh stream.
            case replayed
            /// No checkpoint, or history changed: every candle computed again.
            case fromScratch = "from_scratch"
            /// Nothing new.
            case upToDate = "up_to_date"
        }
        public var symbol: String
        public var mode: Mode
        /// Candles whose outputs were written.
        public var written: Int
        /// Candles included after this step.
        public var bars: Int
    }

    /// The SQL that checks a checkpoint: the first candle and the count up to its last candle, in
    /// `interval`'s table (with the forward-filled minutes when `includingFilled`, at `1m`).
    public static func includedCandlesSQL(_ interval: KlineInterval, includingFilled: Bool = false) -> String {
        let table = "SELECT open_time FROM \(interval.tableName) WHERE exchange = 'binance' AND symbol = :symbol AND open_time <= :last"
        let filled = """
             UNION SELECT open_time FROM tickerdata_1m_filled
                WHERE exchange = 'binance' AND symbol = :symbol AND open_time <= :last
            """
        return "SELECT MIN(open_time), COUNT(*) FROM (\(table)\(includingFilled && interval == .oneMinute ? filled : ""))"
    }

    /// Extends `symbol`'s outputs at `interval` by its closed candles up to `now`. A computation
    /// from scratch goes `chunkBars` bars at a time, each chunk written as it is computed.
    public static func run(
        symbol: String, interval: KlineInterval = .oneMinute, includingFilled: Bool = false,
        warehouse: KlineWarehouse, store: IndicatorStore, now: Date, chunkBars: Int = 65_536
    ) throws -> Outcome {
        let source = Source(symbol: symbol, interval: interval, includingFilled: includingFilled, warehouse: warehouse)
        let end = try source.end(now: now)
        if let checkpoint = try store.checkpoint(symbol: symbol, interval: interval) {
            let included = try warehouse.read { db in
                try Row.fetchOne(
                    db, sql: includedCandlesSQL(interval, includingFilled: includingFilled),
                    arguments: ["symbol": symbol, "last": checkpoint.lastOpenTime])
            }
            let first: Int64? = included?[0], count: Int = included?[1] ?? 0
            if first == checkpoint.firstOpenTime, count == checkpoint.bars,
                try !bucketsRebuilt(symbol: symbol, interval: interval, since: checkpoint, warehouse: warehouse)
            {
                return try resume(source, from: checkpoint, end: end, store: store)
            }
        }
        let candles = try source.candles(from: nil, to: end)
        guard let first = candles.openTime.first, let last = candles.openTime.last else {
            return Outcome(symbol: symbol, mode: .upToDate, written: 0, bars: 0)
        }
        // Computed a chunk at a time into reused buffers, each chunk written as it comes: no
        // array of all the outputs (120 MB for two years of minutes) is ever made.
        var stream = IndicatorStream()
        let bars = OHLCV(candles)
        try store.write(symbol: symbol, interval: interval, replacing: true) { rows in
            try candles.openTime.withUnsafeBufferPointer { times in
                try stream.append(bars, chunkBars: chunkBars) { range, columns in
                    try rows.insert(openTimes: UnsafeBufferPointer(rebasing: times[range]), columns: columns)
                }
            }
            return IndicatorStore.Checkpoint(
                firstOpenTime: first, lastOpenTime: last, bars: candles.count, state: StreamCoding.encode(stream))
        }
        return Outcome(symbol: symbol, mode: .fromScratch, written: candles.count, bars: candles.count)
    }

    /// The SQL that finds a bucket up to the checkpoint's last one whose load (a resampling) was
    /// recorded after the checkpoint was saved.
    public static func rebuiltBucketsSQL(_ interval: KlineInterval) -> String {
        """
        SELECT EXISTS (
            SELECT 1 FROM \(interval.tableName) t JOIN load_ledger l ON l.id = t.load_id
            WHERE t.exchange = 'binance' AND t.symbol = :symbol AND t.open_time <= :last AND l.recorded_at > :saved)
        """
    }

    /// Whether a resampled interval's buckets included in `checkpoint` were rebuilt since it was saved.
    static func bucketsRebuilt(
        symbol: String, interval: KlineInterval, since checkpoint: IndicatorStore.Checkpoint, warehouse: KlineWarehouse
    ) throws -> Bool {
        guard interval != .oneMinute, let saved = checkpoint.updatedAt else { return false }
        return try warehouse.read { db in
            try Bool.fetchOne(
                db, sql: rebuiltBucketsSQL(interval),
                arguments: ["symbol": symbol, "last": checkpoint.lastOpenTime, "saved": saved]) ?? false
        }
    }

    /// Where one symbol's candles at one interval come from.
    struct Source {
        let symbol: String
        let interval: KlineInterval
        let includingFilled: Bool
        let warehouse: KlineWarehouse

        /// The exclusive end of the candles to include: those closed by `now` and, at a resampled
        /// interval, before the partial bucket.
        func end(now: Date) throws -> Int64 {
            let step = interval.microseconds ?? 60_000_000
            var end = now.micros - step + 1
            if interval != .oneMinute, let partial = try warehouse.partialBuckets(symbol: symbol, interval: interval).first {
                end = min(end, partial)
            }
            return end
        }

        func candles(from: Int64?, to: Int64) throws -> CandleSeries {
            if interval == .oneMinute && includingFilled {
                return try warehouse.candlesIncludingFilled(symbol: symbol, from: from, to: to)
            }
            return try warehouse.candles(symbol: symbol, interval: interval, from: from, to: to)
        }
    }

    private static func resume(
        _ source: Source, from checkpoint: IndicatorStore.Checkpoint, end: Int64, store: IndicatorStore
    ) throws -> Outcome {
        let symbol = source.symbol
        let new = try source.candles(from: checkpoint.lastOpenTime + 1, to: end)
        guard let last = new.openTime.last else {
            return Outcome(symbol: symbol, mode: .upToDate, written: 0, bars: checkpoint.bars)
        }
        var mode = Outcome.Mode.resumed
        var stream: IndicatorStream
        if let data = checkpoint.state, let stored = StreamCoding.decode(data) {
            stream = stored
        } else {
            mode = .replayed
            stream = IndicatorStream()
            // Only the state is wanted: the outputs go by in reused buffers.
            stream.append(OHLCV(try source.candles(from: nil, to: checkpoint.lastOpenTime + 1))) { _, _ in }
        }
        let outputs = stream.append(OHLCV(new))
        let next = IndicatorStore.Checkpoint(
            firstOpenTime: checkpoint.firstOpenTime, lastOpenTime: last,
            bars: checkpoint.bars + new.count, state: StreamCoding.encode(stream))
        try store.save(
            symbol: symbol, openTimes: new.openTime, outputs: outputs, checkpoint: next, replacing: false,
            interval: source.interval)
        return Outcome(symbol: symbol, mode: mode, written: new.count, bars: next.bars)
    }

    /// The saved form of a stream (JSON; NaN and infinities as strings). A state that cannot be
    /// decoded (e.g. written by an older format) makes the next run replay the included candles.
    public enum StreamCoding {
        public static func encode(_ stream: IndicatorStream) -> Data? {
            let encoder = JSONEncoder()
            encoder.nonConformingFloatEncodingStrategy = .convertToString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            return try? encoder.encode(stream)
        }

        public static func decode(_ data: Data) -> IndicatorStream? {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            return try? decoder.decode(IndicatorStream.self, from: data)
        }
    }
}

extension OHLCV {
    /// The indicators' view of warehouse candles.
    public init(_ candles: CandleSeries) {
        self.init(
            openTime: candles.openTime, open: candles.open, high: candles.high, low: candles.low,
            close: candles.close, volume: candles.volume)
    }
}
