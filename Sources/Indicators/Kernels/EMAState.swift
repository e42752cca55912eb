/// Incremental exponential moving average, exactly TA-Lib's `TA_EMA` (classic seeding).
///
/// `k = 2 / (period + 1)`; the first value, at index `period - 1`, is the simple average of the
/// first `period` inputs; then `ema = (x - ema) * k + ema`, the multiply-add fused as in
/// TA-Lib 0.8's build. Period 1 returns the input.
///
/// ```swift
/// var ema = EMAState(period: 20)
/// let values = ema.append(closes)
/// ```
public struct EMAState: Sendable, Equatable, Codable {
    /// Smoothing period (≥ 1).
    public let period: Int
    /// Inputs consumed so far.
    public private(set) var count = 0
    var seedTotal = 0.0
    var previous = 0.0

    /// Creates the state; `period` must be at least 1.
    public init(period: Int) {
        precondition(period >= 1, "EMA period must be ≥ 1, got \(period)")
        self.period = period
    }

    /// Leading undefined outputs: `period - 1`.
    public var lookback: Int { period - 1 }

    /// Extends the series by `values` and returns their EMA values (`.nan` inside the lookback).
    public mutating func append(_ values: [Double]) -> [Double] {
        values.withUnsafeBufferPointer { x in
            OutputColumns.one(x.count) { out in
                run(x, into: out)
            }
        }
    }

    mutating func run(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let n = x.count
        guard n > 0, let p = x.baseAddress else { return }
        defer { count += n }
        if period == 1 {
            out.update(from: p, count: n)
            return
        }
        let k = 2.0 / Double(period + 1)
        var i = 0
        var previous = self.previous
        while i < n && count + i < period {
            seedTotal += p[i]
            if count + i == period - 1 {
                previous = seedTotal / Double(period)
                out[i] = previous
            } else {
                out[i] = .nan
            }
            i += 1
        }
        while i < n {
            previous = previous.addingProduct(p[i] - previous, k)
            out[i] = previous
            i += 1
        }
        self.previous = previous
    }
}
