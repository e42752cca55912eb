import Dispatch

/// The standard indicator set, computed incrementally: each `append` extends the series by
/// new bars and returns their values, exactly as if the whole series were computed at once.
///
/// The stream carries each indicator's state (running sums, smoothed averages, seeds in
/// progress) and the few trailing inputs whose windows reach into the next chunk (the last 19
/// closes for SMA and Bollinger, the last 4 highs and lows for the stochastic). VWAP stays
/// cumulative over everything appended, as TA-Lib defines it over its input: the stream keeps
/// its two running sums (Σ typical price × volume, Σ volume). Start a new stream to re-anchor
/// it (e.g. per session). The stream is `Codable`, so a DAG can store it next to the values it
/// wrote and resume from it in the next run.
///
/// ```swift
/// var stream = IndicatorStream()
/// let yesterday = stream.append(oldBars)
/// let today = stream.append(newBars)   // the tail of StandardIndicators.compute(old + new)
/// ```
public struct IndicatorStream: Sendable, Equatable, Codable {
    var sma = SMAState(period: 20)
    var ema = EMAState(period: 20)
    var rsi = RSIState(period: 14)
    var macd = MACDState(fast: 12, slow: 26, signal: 9)
    var bollinger = BollingerState(period: 20, deviationsUp: 2, deviationsDown: 2)
    var atr = ATRState(period: 14)
    var obv = OBVState()
    var vwap = VWAPState()
    var stochastic = StochasticState(fastK: 5, slowK: 3, slowD: 3)
    var adx = ADXState(period: 14)

    /// A stream that has seen no bars.
    public init() {}

    /// Bars appended so far.
    public var count: Int { sma.count }

    /// Extends the series by `bars` and returns the fifteen outputs for those bars only.
    ///
    /// From `parallelBars` bars on, the indicators run in two lanes of about equal cost on two
    /// threads (each indicator's state belongs to one lane, so the values are the same bits).
    public mutating func append(_ bars: OHLCV) -> IndicatorSet {
        let n = bars.count
        let values = OutputColumns.many(n, IndicatorSet.columns.count) { columns in
            run(bars, chunkBars: n, into: columns) { _ in }
        }
        return IndicatorSet(values: values)
    }

    /// Extends the series by `bars` a chunk at a time, handing `body` each chunk's range of
    /// bars and its fifteen outputs (in `IndicatorSet.columns` order) in buffers the stream owns
    /// and reuses: valid only during the call. The values are ``append(_:)``'s, bit for bit.
    ///
    /// Nothing the size of `bars` is allocated: a consumer that writes each chunk away (the
    /// indicators DAG into `market.db`) touches 15 × `chunkBars` doubles of new memory, not 15
    /// × `bars.count`. In a fresh process that was the cost: the kernel zeroing 120 MB of pages
    /// for a million bars took longer than computing them.
    ///
    /// From `parallelBars` bars in all, every chunk runs in two lanes on two threads. When
    /// `body` throws, the stream has already taken in the chunk it was given: throw the stream
    /// away (or go back to a saved copy), as the indicators DAG does with its transaction.
    ///
    /// ```swift
    /// try stream.append(bars) { range, columns in try write(openTimes[range], columns) }
    /// ```
    public mutating func append<E: Error>(
        _ bars: OHLCV, chunkBars: Int = 65_536,
        _ body: (_ range: Range<Int>, _ columns: [UnsafeBufferPointer<Double>]) throws(E) -> Void
    ) throws(E) {
        let size = min(max(1, chunkBars), bars.count)
        guard size > 0 else { return }
        let buffers = (0..<IndicatorSet.columns.count).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: size) }
        defer { for buffer in buffers { buffer.deallocate() } }
        try run(bars, chunkBars: size, into: buffers) { (range: Range<Int>) throws(E) in
            try body(range, buffers.map { UnsafeBufferPointer(start: $0, count: range.count) })
        }
    }

    /// Runs the two lanes over `bars`, `chunkBars` at a time, each chunk's fifteen outputs
    /// written at the start of `columns` (in `IndicatorSet.columns` order) before `body` is
    /// called with its range; the stream's state follows each chunk.
    private mutating func run<E: Error>(
        _ bars: OHLCV, chunkBars: Int, into columns: [UnsafeMutablePointer<Double>],
        _ body: (Range<Int>) throws(E) -> Void
    ) throws(E) {
        let n = bars.count
        guard n > 0 else { return }
        // The order of `IndicatorSet.columns`: the trend lane's nine, ATR, OBV, then the range lane's other four.
        let trendOut = LaneOutput(columns: Array(columns[0..<9]) + [columns[10]])
        let rangeOut = LaneOutput(columns: [columns[9]] + Array(columns[11..<15]))
        let trend = TrendLane(sma: sma, ema: ema, rsi: rsi, macd: macd, bollinger: bollinger, obv: obv)
        let range = RangeLane(atr: atr, vwap: vwap, stochastic: stochastic, adx: adx)
        defer {
            (sma, ema, rsi, macd, bollinger, obv) = (trend.sma, trend.ema, trend.rsi, trend.macd, trend.bollinger, trend.obv)
            (atr, vwap, stochastic, adx) = (range.atr, range.vwap, range.stochastic, range.adx)
        }
        let parallel = n >= Self.parallelBars
        var start = 0
        while start < n {
            let end = min(start + chunkBars, n)
            bars.high.withUnsafeBufferPointer { h in
                bars.low.withUnsafeBufferPointer { l in
                    bars.close.withUnsafeBufferPointer { c in
                        bars.volume.withUnsafeBufferPointer { v in
                            func slice(_ x: UnsafeBufferPointer<Double>) -> UnsafeBufferPointer<Double> {
                                UnsafeBufferPointer(rebasing: x[start..<end])
                            }
                            let input = LaneInput(h: slice(h), l: slice(l), c: slice(c), v: slice(v))
                            if parallel {
                                DispatchQueue.concurrentPerform(iterations: 2) { lane in
                                    if lane == 0 { trend.run(input, into: trendOut) } else { range.run(input, into: rangeOut) }
                                }
                            } else {
                                trend.run(input, into: trendOut)
                                range.run(input, into: rangeOut)
                            }
                        }
                    }
                }
            }
            try body(start..<end)
            start = end
        }
    }

    /// Below this many bars (in one `append`, chunked or not) one thread does all (a thread hop
    /// would cost more than it saves).
    static let parallelBars = 100_000
}

/// The bars a lane reads; valid only during `IndicatorStream.append`, which waits for both lanes.
struct LaneInput: @unchecked Sendable {
    let h, l, c, v: UnsafeBufferPointer<Double>
}

/// Where a lane writes: one pointer per column, each with room for the input's bars; valid only
/// while the lane runs.
struct LaneOutput: @unchecked Sendable {
    let columns: [UnsafeMutablePointer<Double>]
}

/// SMA, EMA, RSI, MACD, Bollinger and OBV: about half the cost. One thread uses it at a time.
final class TrendLane: @unchecked Sendable {
    var sma: SMAState, ema: EMAState, rsi: RSIState, macd: MACDState, bollinger: BollingerState, obv: OBVState

    init(sma: SMAState, ema: EMAState, rsi: RSIState, macd: MACDState, bollinger: BollingerState, obv: OBVState) {
        (self.sma, self.ema, self.rsi, self.macd, self.bollinger, self.obv) = (sma, ema, rsi, macd, bollinger, obv)
    }

    /// Writes the lane's ten columns into `output` (SMA, EMA, RSI, MACD ×3, Bollinger ×3, OBV).
    func run(_ x: LaneInput, into output: LaneOutput) {
        let c = x.c, out = output.columns
        sma.run(c, into: out[0])
        ema.run(c, into: out[1])
        rsi.run(c, into: out[2])
        macd.run(c, line: out[3], signal: out[4], histogram: out[5])
        bollinger.run(c, upper: out[6], middle: out[7], lower: out[8])
        obv.run(close: c, volume: x.v, into: out[9])
    }
}

/// ATR, VWAP, the stochastic and ADX: the other half. One thread uses it at a time.
final class RangeLane: @unchecked Sendable {
    var atr: ATRState, vwap: VWAPState, stochastic: StochasticState, adx: ADXState

    init(atr: ATRState, vwap: VWAPState, stochastic: StochasticState, adx: ADXState) {
        (self.atr, self.vwap, self.stochastic, self.adx) = (atr, vwap, stochastic, adx)
    }

    /// Writes the lane's five columns into `output` (ATR, VWAP, %K, %D, ADX).
    func run(_ x: LaneInput, into output: LaneOutput) {
        let h = x.h, l = x.l, c = x.c, out = output.columns
        atr.run(high: h, low: l, close: c, into: out[0])
        vwap.run(high: h, low: l, close: c, volume: x.v, into: out[1])
        stochastic.run(high: h, low: l, close: c, k: out[2], d: out[3])
        adx.run(high: h, low: l, close: c, into: out[4])
    }
}
