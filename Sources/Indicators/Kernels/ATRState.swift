/// Incremental average true range, exactly TA-Lib 0.8's `TA_ATR`.
///
/// The first value, at index `period`, is the mean true range of bars 1...period; then
/// `atr = alpha * tr + beta * atr` with `beta = (period - 1) / period`, `alpha = 1 - beta`
/// (TA-Lib 0.8's two-coefficient Wilder step, `beta * atr` fused into the add). Period 1 is the
/// true range.
///
/// ```swift
/// var atr = ATRState(period: 14)
/// let values = atr.append(high: highs, low: lows, close: closes)
/// ```
public struct ATRState: Sendable, Equatable, Codable {
    /// Smoothing period (≥ 1).
    public let period: Int
    /// Bars consumed so far.
    public private(set) var count = 0
    var previousClose = 0.0
    var rangeTotal = 0.0
    var average = 0.0

    /// Creates the state; `period` must be at least 1.
    public init(period: Int) {
        precondition(period >= 1, "ATR period must be ≥ 1, got \(period)")
        self.period = period
    }

    /// Leading undefined outputs: `period`.
    public var lookback: Int { period }

    /// Extends the series by these bars and returns their ATR values.
    public mutating func append(high: [Double], low: [Double], close: [Double]) -> [Double] {
        precondition(high.count == low.count && low.count == close.count, "ATR inputs differ in length")
        return high.withUnsafeBufferPointer { h in
            low.withUnsafeBufferPointer { l in
                close.withUnsafeBufferPointer { c in
                    OutputColumns.one(c.count) { out in
                        run(high: h, low: l, close: c, into: out)
                    }
                }
            }
        }
    }

    mutating func run(
        high: UnsafeBufferPointer<Double>, low: UnsafeBufferPointer<Double>,
        close: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>
    ) {
        let n = close.count
        guard n > 0, let h = high.baseAddress, let l = low.baseAddress, let c = close.baseAddress else { return }
        let beta = Double(period - 1) / Double(period)
        let alpha = 1.0 - beta
        var previousClose = self.previousClose, average = self.average
        var i = 0
        if count == 0 {
            previousClose = c[0]
            out[0] = .nan
            i = 1
        }
        while i < n && count + i <= period {
            rangeTotal += trueRange(high: h[i], low: l[i], previousClose: previousClose)
            previousClose = c[i]
            if count + i == period {
                average = rangeTotal / Double(period)
                out[i] = average
            } else {
                out[i] = .nan
            }
            i += 1
        }
        while i < n {
            let range = trueRange(high: h[i], low: l[i], previousClose: previousClose)
            previousClose = c[i]
            average = (alpha * range).addingProduct(beta, average)
            out[i] = average
            i += 1
        }
        self.previousClose = previousClose
        self.average = average
        count += n
    }
}
