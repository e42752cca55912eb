/// One candle of Binance's 12-column kline format, with exact prices and µs times.
///
/// Times are microseconds since the Unix epoch (UTC) whatever the source used: archive files
/// before 2025 and REST responses give milliseconds, archive files from 2025 give µs.
public struct Kline: Sendable, Hashable {
    /// Open time, microseconds since the Unix epoch, UTC.
    public var openTime: Int64
    /// Open price.
    public var open: FixedDecimal
    /// High price.
    public var high: FixedDecimal
    /// Low price.
    public var low: FixedDecimal
    /// Close price.
    public var close: FixedDecimal
    /// Base-asset volume.
    public var volume: FixedDecimal
    /// Close time, microseconds (open time + interval − 1 source unit).
    public var closeTime: Int64
    /// Quote-asset volume.
    public var quoteVolume: FixedDecimal
    /// Number of trades.
    public var trades: Int64
    /// Base-asset volume bought by takers.
    public var takerBuyBaseVolume: FixedDecimal
    /// Quote-asset volume bought by takers.
    public var takerBuyQuoteVolume: FixedDecimal

    /// A kline from its fields; times in microseconds.
    public init(
        openTime: Int64, open: FixedDecimal, high: FixedDecimal, low: FixedDecimal,
        close: FixedDecimal, volume: FixedDecimal, closeTime: Int64,
        quoteVolume: FixedDecimal, trades: Int64, takerBuyBaseVolume: FixedDecimal,
        takerBuyQuoteVolume: FixedDecimal
    ) {
        self.openTime = openTime
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.closeTime = closeTime
        self.quoteVolume = quoteVolume
        self.trades = trades
        self.takerBuyBaseVolume = takerBuyBaseVolume
        self.takerBuyQuoteVolume = takerBuyQuoteVolume
    }
}

extension Kline {
    /// Adds the next 1-minute kline (open times ascending) to coarser buckets: a new bucket of
    /// `step` µs opening at `start`, or the last one when it opens there. Exact: open is the first
    /// open, high the highest, low the lowest, close the last; volumes and trades are summed. The
    /// close time keeps the source's unit (1 ms before the next open in ms-era data, 1 µs after).
    public static func accumulate(_ kline: Kline, into buckets: inout [Kline], bucketStart start: Int64, step: Int64) {
        guard var last = buckets.last, last.openTime == start else {
            let slack = kline.openTime + 60_000_000 - kline.closeTime
            var bucket = kline
            bucket.openTime = start
            bucket.closeTime = start + step - slack
            buckets.append(bucket)
            return
        }
        last.high = max(last.high, kline.high)
        last.low = min(last.low, kline.low)
        last.close = kline.close
        last.volume.units += kline.volume.units
        last.quoteVolume.units += kline.quoteVolume.units
        last.trades += kline.trades
        last.takerBuyBaseVolume.units += kline.takerBuyBaseVolume.units
        last.takerBuyQuoteVolume.units += kline.takerBuyQuoteVolume.units
        buckets[buckets.count - 1] = last
    }
}
