/// Aggregates 1-minute (or other fine) candles into larger buckets aligned to UTC.
///
/// Buckets start on multiples of the interval since the Unix epoch (`1d` at 00:00 UTC). In
/// each bucket open is the first open, high the highest high, low the lowest low, close the
/// last close and volume the sum of volumes, in time order. Buckets with no source bars are
/// not created, so missing minutes leave gaps rather than empty bars. The first and last
/// buckets are marked partial when the input does not reach their edges.
///
/// ```swift
/// let hourly = try CandleResampler.resample(minuteBars, to: BarInterval("1h"))
/// let last = hourly.isPartial.last   // true while the current hour is still open
/// ```
public enum CandleResampler {
    /// Resamples `bars`, whose bars are `source` long, into `interval` buckets.
    ///
    /// Throws when `interval` is not a whole multiple of `source`, or when open times are not
    /// strictly increasing (the error names the bar).
    public static func resample(
        _ bars: OHLCV, to interval: BarInterval,
        source: BarInterval = .oneMinute
    ) throws(ResamplingError) -> ResampledBars {
        guard interval.minutes % source.minutes == 0 else {
            throw .intervalNotMultiple(interval: interval, source: source)
        }
        let n = bars.count
        var times: [Int64] = [], open: [Double] = [], high: [Double] = [], low: [Double] = []
        var close: [Double] = [], volume: [Double] = [], ranges: [Range<Int>] = []
        for i in 0..<n {
            let time = bars.openTime[i]
            if i > 0 && time <= bars.openTime[i - 1] {
                throw .notIncreasing(index: i, previous: bars.openTime[i - 1], time: time)
            }
            let bucket = interval.bucketStart(containing: time)
            if times.last == bucket {
                let last = times.count - 1
                high[last] = max(high[last], bars.high[i])
                low[last] = min(low[last], bars.low[i])
                close[last] = bars.close[i]
                volume[last] += bars.volume[i]
                ranges[last] = ranges[last].lowerBound..<(i + 1)
            } else {
                times.append(bucket)
                open.append(bars.open[i])
                high.append(bars.high[i])
                low.append(bars.low[i])
                close.append(bars.close[i])
                volume.append(bars.volume[i])
                ranges.append(i..<(i + 1))
            }
        }
        var partial = [Bool](repeating: false, count: times.count)
        if let first = times.first, let last = times.last {
            if bars.openTime[0] > first { partial[0] = true }
            if bars.openTime[n - 1] + source.microseconds < last + interval.microseconds {
                partial[times.count - 1] = true
            }
        }
        return ResampledBars(
            bars: OHLCV(openTime: times, open: open, high: high, low: low, close: close, volume: volume),
            sourceRanges: ranges, isPartial: partial, interval: interval)
    }
}

/// Why candles could not be resampled.
public enum ResamplingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The target interval is not a whole number of source bars.
    case intervalNotMultiple(interval: BarInterval, source: BarInterval)
    /// Bar `index` opens at or before the bar before it (times in µs).
    case notIncreasing(index: Int, previous: Int64, time: Int64)

    public var description: String {
        switch self {
        case let .intervalNotMultiple(interval, source):
            "cannot resample \(source) bars into \(interval) buckets: \(interval) is not a multiple of \(source)"
        case let .notIncreasing(index, previous, time):
            "bar \(index) opens at \(time) µs, not after the bar before it (\(previous) µs); sort and deduplicate the input"
        }
    }
}
