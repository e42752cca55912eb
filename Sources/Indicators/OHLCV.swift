/// Column-wise candles for the indicators: one array per field, all the same length.
///
/// `openTime` is in microseconds since the Unix epoch (UTC), as in MarketData's `CandleSeries`.
///
/// ```swift
/// let bars = OHLCV(openTime: [0, 60_000_000], open: [1, 2], high: [2, 3], low: [1, 2],
///                  close: [2, 3], volume: [10, 20])
/// ```
public struct OHLCV: Sendable, Equatable {
    /// Bar open times, microseconds since the Unix epoch, ascending.
    public var openTime: [Int64]
    public var open: [Double]
    public var high: [Double]
    public var low: [Double]
    public var close: [Double]
    public var volume: [Double]

    /// Creates a series; every array must have the same length.
    public init(
        openTime: [Int64], open: [Double], high: [Double], low: [Double],
        close: [Double], volume: [Double]
    ) {
        precondition(
            [open.count, high.count, low.count, close.count, volume.count].allSatisfy { $0 == openTime.count },
            "OHLCV columns must all have the same length")
        self.openTime = openTime
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }

    /// An empty series.
    public init() {
        self.init(openTime: [], open: [], high: [], low: [], close: [], volume: [])
    }

    /// Number of bars.
    public var count: Int { openTime.count }

    /// The bars in `range`, as a new series.
    public func slice(_ range: Range<Int>) -> OHLCV {
        OHLCV(
            openTime: Array(openTime[range]), open: Array(open[range]), high: Array(high[range]),
            low: Array(low[range]), close: Array(close[range]), volume: Array(volume[range]))
    }
}
