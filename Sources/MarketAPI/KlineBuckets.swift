import Indicators
import MarketData

/// Candles of a coarser interval built exactly from 1-minute klines, on the grid of Indicators'
/// ``BarInterval`` (buckets counted from the Unix epoch, so `1d` opens at 00:00 UTC, `4h` at
/// 00:00, 04:00, … UTC). Unlike `CandleResampler`, which works on doubles for the indicators,
/// prices and volumes stay exact ``FixedDecimal``s: open is the first open, high the highest
/// high, low the lowest low, close the last close; volumes and trades are summed. A bucket with
/// no minute is not made (a gap stays a gap). The close time is the bucket's end less one unit
/// of the source (1 ms before 2025, 1 µs after, as Binance writes them).
///
/// ```swift
/// var hours = KlineBuckets(interval: try BarInterval("1h"))
/// try warehouse.forEachKline(symbol: "BTCUSDT", from: start, to: end) { hours.add($0) }
/// hours.klines.count   // 24 for a whole day
/// ```
struct KlineBuckets {
    let interval: BarInterval
    private(set) var klines: [Kline] = []

    init(interval: BarInterval) { self.interval = interval }

    /// Adds the next 1-minute kline (open times ascending).
    mutating func add(_ kline: Kline) {
        Kline.accumulate(kline, into: &klines, bucketStart: interval.bucketStart(containing: kline.openTime), step: interval.microseconds)
    }
}
