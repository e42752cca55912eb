/// Candles aggregated into larger UTC buckets by `CandleResampler`.
public struct ResampledBars: Sendable, Equatable {
    /// One bar per bucket that has data; `openTime` is the bucket start (µs).
    public var bars: OHLCV
    /// Indices of the source bars aggregated into each bucket.
    public var sourceRanges: [Range<Int>]
    /// True for a bucket the input does not cover to its edge: the first bucket when the
    /// input starts after its start, the last when the input ends before its end.
    public var isPartial: [Bool]
    /// The bucket length.
    public var interval: BarInterval

    /// Number of buckets.
    public var count: Int { bars.count }

    /// Source bars aggregated into each bucket.
    public var sourceCounts: [Int] { sourceRanges.map(\.count) }
}
