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
        return bars.high.withUnsafeBufferPointer { h in
            bars.low.withUnsafeBufferPointer { l in
                bars.close.withUnsafeBufferPointer { c in
                    bars.volume.withUnsafeBufferPointer { v in
                        let input = LaneInput(h: h, l: l, c: c, v: v, n: n)
                        let trend = TrendLane(sma: sma, ema: ema, rsi: rsi, macd: macd, bollinger: bollinger, obv: obv)
                        let range = RangeLane(atr: atr, vwap: vwap, stochastic: stochastic, adx: adx)
                        if n >= Self.parallelBars {
                            DispatchQueue.concurrentPerform(iterations: 2) { lane in
                                if lane == 0 { trend.run(input) } else { range.run(input) }
                            }
                        } else {
                            trend.run(input)
                            range.run(input)
                        }
                        (sma, ema, rsi, macd, bollinger, obv) = (trend.sma, trend.ema, trend.rsi, trend.macd, trend.bollinger, trend.obv)
                        (atr, vwap, stochastic, adx) = (range.atr, range.vwap, range.stochastic, range.adx)
                        // The order of `IndicatorSet.columns`.
                        let t = trend.columns, r = range.columns
                        return IndicatorSet(values: Array(t[0..<9]) + [r[0], t[9], r[1], r[2], r[3], r[4]])
                    }
                }
            }
        }
    }

    /// Below this many bars one thread does all (a thread hop would cost more than it saves).
    static let parallelBars = 100_000
}

/// The bars a lane reads; valid only during `IndicatorStream.append`, which waits for both lanes.
struct LaneInput: @unchecked Sendable {
    let h, l, c, v: UnsafeBufferPointer<Double>
    let n: Int
}

/// SMA, EMA, RSI, MACD, Bollinger and OBV: about half the cost. One thread uses it at a time.
final class TrendLane: @unchecked Sendable {
    var sma: SMAState, ema: EMAState, rsi: RSIState, macd: MACDState, bollinger: BollingerState, obv: OBVState
    /// SMA, EMA, RSI, MACD ×3, Bollinger ×3, OBV.
    var columns: [[Double]] = []

    init(sma: SMAState, ema: EMAState, rsi: RSIState, macd: MACDState, bollinger: BollingerState, obv: OBVState) {
        (self.sma, self.ema, self.rsi, self.macd, self.bollinger, self.obv) = (sma, ema, rsi, macd, bollinger, obv)
    }

    func run(_ x: LaneInput) {
        let n = x.n, c = x.c
        columns.append(OutputColumns.one(n) { sma.run(c, into: $0) })
        columns.append(OutputColumns.one(n) { ema.run(c, into: $0) })
        columns.append(OutputColumns.one(n) { rsi.run(c, into: $0) })
        let lines = OutputColumns.three(n) { macd.run(c, line: $0, signal: $1, histogram: $2) }
        columns += [lines.0, lines.1, lines.2]
        let bands = OutputColumns.three(n) { bollinger.run(c, upper: $0, middle: $1, lower: $2) }
        columns += [bands.0, bands.1, bands.2]
        columns.append(OutputColumns.one(n) { obv.run(close: c, volume: x.v, into: $0) })
    }
}

/// ATR, VWAP, the stochastic and ADX: the other half. One thread uses it at a time.
final class RangeLane: @unchecked Sendable {
    var atr: ATRState, vwap: VWAPState, stochastic: StochasticState, adx: ADXState
    /// ATR, VWAP, %K, %D, ADX.
    var columns: [[Double]] = []

    init(atr: ATRState, vwap: VWAPState, stochastic: StochasticState, adx: ADXState) {
        (self.atr, self.vwap, self.stochastic, self.adx) = (atr, vwap, stochastic, adx)
    }

    func run(_ x: LaneInput) {
        let n = x.n, h = x.h, l = x.l, c = x.c
        columns.append(OutputColumns.one(n) { atr.run(high: h, low: l, close: c, into: $0) })
        columns.append(OutputColumns.one(n) { vwap.run(high: h, low: l, close: c, volume: x.v, into: $0) })
        let stoch = OutputColumns.two(n) { stochastic.run(high: h, low: l, close: c, k: $0, d: $1) }
        columns += [stoch.0, stoch.1]
        columns.append(OutputColumns.one(n) { adx.run(high: h, low: l, close: c, into: $0) })
    }
}
