/// Column-wise candles as doubles, for analytics (indicators, models). Prices are the exact
/// ``FixedDecimal`` values rounded to the nearest `Double`, the same as parsing the text;
/// volumes past 2^53 units (about 9 × 10^7) may be one ulp off (see ``FixedDecimal/doubleValue``).
///
/// ```swift
/// let series = CandleSeries(klines)
/// let lastClose = series.close.last
/// ```
public struct CandleSeries: Sendable, Equatable {
    /// Open times, µs since the Unix epoch, ascending.
    public var openTime: [Int64]
    /// Open prices.
    public var open: [Double]
    /// High prices.
    public var high: [Double]
    /// Low prices.
    public var low: [Double]
    /// Close prices.
    public var close: [Double]
    /// Base-asset volumes.
    public var volume: [Double]

    /// Number of candles.
    public var count: Int { openTime.count }

    /// A series from its columns (all of one length).
    public init(openTime: [Int64], open: [Double], high: [Double], low: [Double], close: [Double], volume: [Double]) {
        precondition(
            [open.count, high.count, low.count, close.count, volume.count].allSatisfy { $0 == openTime.count },
            "CandleSeries columns must have one length")
        self.openTime = openTime
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }

    /// A series from klines, in their order.
    public init(_ klines: [Kline]) {
        self.init(
            openTime: klines.map(\.openTime), open: klines.map(\.open.doubleValue),
            high: klines.map(\.high.doubleValue), low: klines.map(\.low.doubleValue),
            close: klines.map(\.close.doubleValue), volume: klines.map(\.volume.doubleValue))
    }

    /// An empty series.
    public static let empty = CandleSeries(openTime: [], open: [], high: [], low: [], close: [], volume: [])
}
