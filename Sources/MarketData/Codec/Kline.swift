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
