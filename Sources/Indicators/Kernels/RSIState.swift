/// Incremental relative strength index, exactly TA-Lib 0.8's `TA_RSI` (Wilder smoothing).
///
/// The first value, at index `period`, averages the gains and losses of the first `period`
/// changes; each later one smooths as `avg = (avg * (period - 1) + change) * (1 / period)`.
/// RSI is `100 * gain / (gain + loss)`, and 0 when gain + loss is exactly 0 (no change at all).
///
/// ```swift
/// var rsi = RSIState(period: 14)
/// let values = rsi.append(closes)
/// ```
public struct RSIState: Sendable, Equatable, Codable {
    /// Smoothing period (≥ 2).
    public let period: Int
    /// Inputs consumed so far.
    public private(set) var count = 0
    var previousValue = 0.0
    var gain = 0.0
    var loss = 0.0

    /// Creates the state; `period` must be at least 2.
    public init(period: Int) {
        precondition(period >= 2, "RSI period must be ≥ 2, got \(period)")
        self.period = period
    }

    /// Leading undefined outputs: `period`.
    public var lookback: Int { period }

    /// Extends the series by `values` and returns their RSI values (`.nan` inside the lookback).
    public mutating func append(_ values: [Double]) -> [Double] {
        values.withUnsafeBufferPointer { x in
            OutputColumns.one(x.count) { out in
                run(x, into: out)
            }
        }
    }

    @inline(__always)
    static func index(gain: Double, loss: Double) -> Double {
        let total = gain + loss
        return total > 0.0 ? 100.0 * (gain / total) : 0.0
    }

    mutating func run(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let n = x.count
        guard n > 0, let p = x.baseAddress else { return }
        let inverse = 1.0 / Double(period)
        let keep = Double(period - 1)
        var gain = self.gain, loss = self.loss, previous = self.previousValue
        var i = 0
        if count == 0 {
            previous = p[0]
            out[0] = .nan
            i = 1
        }
        while i < n && count + i <= period {
            let change = p[i] - previous
            previous = p[i]
            let up = change > 0.0 ? change : 0.0
            gain += up
            loss += up - change
            if count + i == period {
                loss *= inverse
                gain *= inverse
                out[i] = Self.index(gain: gain, loss: loss)
            } else {
                out[i] = .nan
            }
            i += 1
        }
        while i < n {
            let change = p[i] - previous
            previous = p[i]
            loss *= keep
            gain *= keep
            let up = change > 0.0 ? change : 0.0
            gain += up
            loss += up - change
            loss *= inverse
            gain *= inverse
            out[i] = Self.index(gain: gain, loss: loss)
            i += 1
        }
        self.gain = gain
        self.loss = loss
        self.previousValue = previous
        count += n
    }
}
