/// Incremental Bollinger Bands over an SMA middle band, exactly TA-Lib 0.8's `TA_BBANDS`
/// with `TA_MAType_SMA`.
///
/// The middle band is the SMA. The deviation is the population standard deviation from
/// TA-Lib 0.8's cancellation-free variance: running sums of `x - shift`, where the shift is
/// re-anchored to the window mean (a fresh two-pass) when the variance falls below 1e-6 of
/// the mean squared deviation, when a value leaving the window dwarfs the rest, or every
/// `32 * period` bars; a re-anchored variance under 1e-12 of its scale is 0. (TA-Lib ≤ 0.7
/// used E[x²] − mean², and differs by up to ~1e-6 relative.) Lookback `period - 1`.
///
/// ```swift
/// var bands = BollingerState(period: 20, deviationsUp: 2, deviationsDown: 2)
/// let (upper, middle, lower) = bands.append(closes)
/// ```
public struct BollingerState: Sendable, Equatable, Codable {
    /// Window length (≥ 2).
    public let period: Int
    /// Standard-deviation multipliers of the upper and lower bands.
    public let deviationsUp: Double, deviationsDown: Double
    /// Inputs consumed so far.
    public private(set) var count = 0
    var movingTotal = 0.0
    var shift = 0.0
    var deviationTotal = 0.0
    var squareTotal = 0.0
    var barsUntilReanchor = 0
    var tail: InputTail

    /// Creates the state; `period` must be at least 2.
    public init(period: Int, deviationsUp: Double, deviationsDown: Double) {
        precondition(period >= 2, "BBANDS period must be ≥ 2, got \(period)")
        self.period = period
        self.deviationsUp = deviationsUp
        self.deviationsDown = deviationsDown
        self.tail = InputTail(capacity: period - 1)
    }

    /// Leading undefined outputs: `period - 1`.
    public var lookback: Int { period - 1 }

    /// Extends the series by `values`; returns the three bands for them.
    public mutating func append(_ values: [Double]) -> (upper: [Double], middle: [Double], lower: [Double]) {
        values.withUnsafeBufferPointer { x in
            let (upper, middle, lower) = OutputColumns.three(x.count) { run(x, upper: $0, middle: $1, lower: $2) }
            return (upper, middle, lower)
        }
    }

    mutating func run(
        _ x: UnsafeBufferPointer<Double>, upper: UnsafeMutablePointer<Double>,
        middle: UnsafeMutablePointer<Double>, lower: UnsafeMutablePointer<Double>
    ) {
        let n = x.count
        guard n > 0, let p = x.baseAddress else { return }
        let lb = period - 1
        let inverse = 1.0 / Double(period)
        let divisor = Double(period)
        let up = deviationsUp, down = deviationsDown
        let reanchorEvery = 32 * period
        var movingTotal = self.movingTotal, shift = self.shift
        var total1 = deviationTotal, total2 = squareTotal
        var barsUntilReanchor = self.barsUntilReanchor
        tail.values.withUnsafeBufferPointer { tail in
            var i = 0
            while i < n && count + i < lb {
                if count + i == 0 { shift = p[0] }
                movingTotal += p[i]
                let d = p[i] - shift
                total1 += d
                total2 += d * d
                upper[i] = .nan
                middle[i] = .nan
                lower[i] = .nan
                i += 1
            }
            if i < n && count + i == lb { barsUntilReanchor = reanchorEvery }
            while i < n {
                let value = p[i]
                movingTotal += value
                var d = value - shift
                total1 += d
                d *= d
                total2 += d
                let mean1 = total1 * inverse
                var variance = total2 * inverse - mean1 * mean1
                let mid = movingTotal / divisor
                let leaving = element(i - lb, p, tail)
                movingTotal -= leaving
                d = leaving - shift
                total1 -= d
                d *= d
                total2 -= d
                barsUntilReanchor -= 1
                if variance < 0.000001 * (total2 * inverse) || d > 1000000.0 * total2 || barsUntilReanchor <= 0 {
                    // Re-anchor the shift at the window mean with a fresh two-pass.
                    barsUntilReanchor = reanchorEvery
                    var sum = 0.0
                    for j in (i - lb)...i { sum += element(j, p, tail) }
                    shift = sum * inverse
                    total1 = 0.0
                    total2 = 0.0
                    for j in (i - lb)...i {
                        let e = element(j, p, tail) - shift
                        total1 += e
                        total2 += e * e
                    }
                    let mean = total1 * inverse
                    variance = total2 * inverse - mean * mean
                    if variance < 0.000000000001 * (total2 * inverse) { variance = 0.0 }
                    let e = element(i - lb, p, tail) - shift
                    total1 -= e
                    total2 -= e * e
                }
                let deviation = variance != 0.0 ? variance.squareRoot() : 0.0
                middle[i] = mid
                if up == down {
                    let width = deviation * up
                    upper[i] = mid + width
                    lower[i] = mid - width
                } else {
                    upper[i] = mid + deviation * up
                    lower[i] = mid - deviation * down
                }
                i += 1
            }
        }
        self.movingTotal = movingTotal
        self.shift = shift
        deviationTotal = total1
        squareTotal = total2
        self.barsUntilReanchor = barsUntilReanchor
        count += n
        tail.absorb(x)
    }
}
