/// The standard indicator set used by the `indicators` DAG and `updraft indicators compute`.
///
/// ```swift
/// let set = StandardIndicators.compute(bars)   // all fifteen columns at once
/// ```
public enum StandardIndicators {
    /// Computes the fifteen standard outputs (see `IndicatorSet.columns`) over `bars`.
    /// Equivalent to a fresh `IndicatorStream` given all the bars at once.
    public static func compute(_ bars: OHLCV) -> IndicatorSet {
        var stream = IndicatorStream()
        return stream.append(bars)
    }
}
