import Foundation
import GRDB
import Indicators
import MarketData

/// One symbol's step of the `indicators` DAG: extends its stored indicator outputs by the
/// closed 1-minute candles that arrived since the last run, exactly as a computation over the
/// whole series would give them.
///
/// The checkpoint in `indicator_state` says which candles were already included. It still holds
/// when the candles up to it are unchanged (same first candle, same count); then only the new
/// candles are computed, from the stored `IndicatorStream` (or, if the saved state cannot be
/// decoded, from a stream replayed over the included candles; no output is rewritten).
/// When history changed under it (an earlier month loaded, a gap filled), the symbol is
/// recomputed from scratch.
///
/// ```swift
/// let outcome = try IndicatorUpdate.run(symbol: "BTCUSDT", warehouse: warehouse, store: store, now: Date())
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

    /// The SQL that checks a checkpoint: the first candle and the count up to its last candle.
    public static let includedCandlesSQL = """
        SELECT MIN(open_time), COUNT(*) FROM tickerdata_1m
        WHERE exchange = 'binance' AND symbol = :symbol AND open_time <= :last
        """

    /// Extends `symbol`'s outputs by its closed candles up to `now`.
    public static func run(symbol: String, warehouse: KlineWarehouse, store: IndicatorStore, now: Date) throws -> Outcome {
        // A candle is closed once its minute is over; the open one would change under us.
        let end = now.micros - 60_000_000 + 1
        if let checkpoint = try store.checkpoint(symbol: symbol) {
            let included = try warehouse.read { db in
                try Row.fetchOne(db, sql: includedCandlesSQL, arguments: ["symbol": symbol, "last": checkpoint.lastOpenTime])
            }
            let first: Int64? = included?[0], count: Int = included?[1] ?? 0
            if first == checkpoint.firstOpenTime, count == checkpoint.bars {
                return try resume(symbol: symbol, from: checkpoint, end: end, warehouse: warehouse, store: store)
            }
        }
        let candles = try warehouse.candles(symbol: symbol, from: nil, to: end)
        guard let first = candles.openTime.first, let last = candles.openTime.last else {
            return Outcome(symbol: symbol, mode: .upToDate, written: 0, bars: 0)
        }
        var stream = IndicatorStream()
        let outputs = stream.append(OHLCV(candles))
        let checkpoint = IndicatorStore.Checkpoint(
            firstOpenTime: first, lastOpenTime: last, bars: candles.count,
            state: StreamCoding.encode(stream))
        try store.save(
            symbol: symbol, openTimes: candles.openTime, outputs: outputs, checkpoint: checkpoint,
            replacing: true)
        return Outcome(symbol: symbol, mode: .fromScratch, written: candles.count, bars: candles.count)
    }

    private static func resume(
        symbol: String, from checkpoint: IndicatorStore.Checkpoint, end: Int64,
        warehouse: KlineWarehouse, store: IndicatorStore
    ) throws -> Outcome {
        let new = try warehouse.candles(symbol: symbol, from: checkpoint.lastOpenTime + 1, to: end)
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
            _ = stream.append(OHLCV(try warehouse.candles(symbol: symbol, from: nil, to: checkpoint.lastOpenTime + 1)))
        }
        let outputs = stream.append(OHLCV(new))
        let next = IndicatorStore.Checkpoint(
            firstOpenTime: checkpoint.firstOpenTime, lastOpenTime: last,
            bars: checkpoint.bars + new.count, state: StreamCoding.encode(stream))
        try store.save(symbol: symbol, openTimes: new.openTime, outputs: outputs, checkpoint: next, replacing: false)
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
