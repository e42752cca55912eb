/// Incremental average directional index, exactly TA-Lib 0.8's `TA_ADX`.
///
/// +DM/−DM and the true range are summed over the first `period - 1` changes, then smoothed
/// Wilder-style (`s -= s / period; s += today`); DX = `100 * |−DI − +DI| / (−DI + +DI)`; the first
/// ADX, at index `2 * period - 1`, is the mean of the first `period` DX values, then
/// `adx = (adx * (period - 1) + dx) / period`. A window whose true ranges are all 0 keeps the previous value.
///
/// ```swift
/// var adx = ADXState(period: 14)
/// let values = adx.append(high: highs, low: lows, close: closes)
/// ```
public struct ADXState: Sendable, Equatable, Codable {
    /// Smoothing period (≥ 2).
    public let period: Int
    /// Bars consumed so far.
    public private(set) var count = 0
    var previousHigh = 0.0, previousLow = 0.0, previousClose = 0.0
    var minusDM = 0.0, plusDM = 0.0, range = 0.0
    var dxTotal = 0.0
    var average = 0.0

    /// Creates the state; `period` must be at least 2.
    public init(period: Int) {
        precondition(period >= 2, "ADX period must be ≥ 2, got \(period)")
        self.period = period
    }

    /// Leading undefined outputs: `2 * period - 1`.
    public var lookback: Int { 2 * period - 1 }

    /// Extends the series by these bars and returns their ADX values.
    public mutating func append(high: [Double], low: [Double], close: [Double]) -> [Double] {
        precondition(high.count == low.count && low.count == close.count, "ADX inputs differ in length")
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
        let divisor = Double(period)
        let keep = Double(period - 1)
        let lookback = self.lookback
        var previousHigh = self.previousHigh, previousLow = self.previousLow, previousClose = self.previousClose
        var minusDM = self.minusDM, plusDM = self.plusDM, range = self.range
        var average = self.average
        var i = 0
        if count == 0 {
            previousHigh = h[0]
            previousLow = l[0]
            previousClose = c[0]
            out[0] = .nan
            i = 1
        }
        // Directional movement of bar i against the bar before it.
        @inline(__always) func movement(_ i: Int) -> (minus: Double, plus: Double) {
            let diffP = h[i] - previousHigh
            let diffM = previousLow - l[i]
            let minusPick = diffM - diffP > 0.0 ? diffM : 0.0
            let plusPick = diffP - diffM > 0.0 ? diffP : 0.0
            return (diffM > 0.0 ? minusPick : 0.0, diffP > 0.0 ? plusPick : 0.0)
        }
        // Sums of the first period - 1 changes.
        while i < n && count + i < period {
            let move = movement(i)
            previousHigh = h[i]
            previousLow = l[i]
            minusDM += move.minus
            plusDM += move.plus
            range += trueRange(high: previousHigh, low: previousLow, previousClose: previousClose)
            previousClose = c[i]
            out[i] = .nan
            i += 1
        }
        while i < n {
            let bar = count + i
            let move = movement(i)
            previousHigh = h[i]
            previousLow = l[i]
            minusDM -= minusDM / divisor
            plusDM -= plusDM / divisor
            minusDM += move.minus
            plusDM += move.plus
            let today = trueRange(high: previousHigh, low: previousLow, previousClose: previousClose)
            range = range - range / divisor + today
            previousClose = c[i]
            if bar < lookback {
                // The first period DX values sum into the seed.
                if range > 0.0 {
                    let minusDI = 100.0 * (minusDM / range)
                    let plusDI = 100.0 * (plusDM / range)
                    let sum = minusDI + plusDI
                    if !(-1e-14 < sum && sum < 1e-14) {
                        dxTotal += 100.0 * (abs(minusDI - plusDI) / sum)
                    }
                }
                out[i] = .nan
            } else {
                if bar == lookback {
                    if range > 0.0 {
                        let minusDI = 100.0 * (minusDM / range)
                        let plusDI = 100.0 * (plusDM / range)
                        let sum = minusDI + plusDI
                        if !(-1e-14 < sum && sum < 1e-14) {
                            dxTotal += 100.0 * (abs(minusDI - plusDI) / sum)
                        }
                    }
                    average = dxTotal / Double(period)
                } else if range > 0.0 {
                    let minusDI = 100.0 * (minusDM / range)
                    let plusDI = 100.0 * (plusDM / range)
                    let sum = minusDI + plusDI
                    if !(-1e-14 < sum && sum < 1e-14) {
                        let dx = 100.0 * (abs(minusDI - plusDI) / sum)
                        average = (average * keep + dx) / divisor
                    }
                }
                out[i] = average
            }
            i += 1
        }
        self.previousHigh = previousHigh
        self.previousLow = previousLow
        self.previousClose = previousClose
        self.minusDM = minusDM
        self.plusDM = plusDM
        self.range = range
        self.average = average
        count += n
    }
}
