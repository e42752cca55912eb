/// Incremental MACD, exactly TA-Lib 0.8's `TA_MACD`.
///
/// Not `EMA(fast) - EMA(slow)` computed apart: both EMAs are seeded on windows that end on the
/// same bar (`slow - 1`), step as `ema + (x - ema) * k` with `k = 2 / (n + 1)` (one fused
/// multiply-add, as TA-Lib 0.8's build computes it), and the signal EMA is seeded with the
/// average of the first `signal` MACD values. If `slow < fast` the
/// two are swapped. Lookback `(slow - 1) + (signal - 1)`; a signal period of 1 is the MACD line.
///
/// ```swift
/// var macd = MACDState(fast: 12, slow: 26, signal: 9)
/// let (line, signal, histogram) = macd.append(closes)
/// ```
public struct MACDState: Sendable, Equatable, Codable {
    /// Fast, slow and signal periods after TA-Lib's swap (fast ≤ slow).
    public let fast: Int, slow: Int, signal: Int
    /// Inputs consumed so far.
    public private(set) var count = 0
    var slowTotal = 0.0
    var fastTotal = 0.0
    var fastEMA = 0.0
    var slowEMA = 0.0
    var signalTotal = 0.0
    var signalEMA = 0.0
    let fastK: Double, slowK: Double, signalK: Double

    /// Creates the state; every period must be at least 1 (2 for fast and slow in TA-Lib).
    public init(fast: Int, slow: Int, signal: Int) {
        precondition(
            fast >= 1 && slow >= 1 && signal >= 1,
            "MACD periods must be ≥ 1, got \(fast), \(slow), \(signal)")
        self.fast = min(fast, slow)
        self.slow = max(fast, slow)
        self.signal = signal
        fastK = 2.0 / Double(self.fast + 1)
        slowK = 2.0 / Double(self.slow + 1)
        signalK = 2.0 / Double(signal + 1)
    }

    /// Leading undefined outputs: `(slow - 1) + (signal - 1)`.
    public var lookback: Int { slow - 1 + signal - 1 }

    /// Extends the series by `values`; returns the MACD line, signal and histogram for them.
    public mutating func append(_ values: [Double]) -> (macd: [Double], signal: [Double], histogram: [Double]) {
        values.withUnsafeBufferPointer { x in
            let (line, signal, histogram) = OutputColumns.three(x.count) { run(x, line: $0, signal: $1, histogram: $2) }
            return (line, signal, histogram)
        }
    }

    mutating func run(
        _ x: UnsafeBufferPointer<Double>, line: UnsafeMutablePointer<Double>,
        signal out: UnsafeMutablePointer<Double>, histogram: UnsafeMutablePointer<Double>
    ) {
        let n = x.count
        guard n > 0, let p = x.baseAddress else { return }
        var fastEMA = self.fastEMA, slowEMA = self.slowEMA, signalEMA = self.signalEMA
        let fastK = self.fastK, slowK = self.slowK, signalK = self.signalK
        let lookback = self.lookback
        var i = 0
        // Warm-up: seed sums, then the first MACD values feeding the signal seed.
        while i < n && count + i < lookback {
            let bar = count + i
            if bar < slow {
                slowTotal += p[i]
                if bar >= slow - fast { fastTotal += p[i] }
                if bar == slow - 1 {
                    slowEMA = slowTotal / Double(slow)
                    fastEMA = fastTotal / Double(fast)
                    signalTotal = 0.0 + (fastEMA - slowEMA)
                }
            } else {
                fastEMA = fastEMA.addingProduct(p[i] - fastEMA, fastK)
                slowEMA = slowEMA.addingProduct(p[i] - slowEMA, slowK)
                signalTotal += fastEMA - slowEMA
            }
            line[i] = .nan
            out[i] = .nan
            histogram[i] = .nan
            i += 1
        }
        if i < n && count + i == lookback {
            // The first output bar ends the signal seed.
            let value: Double
            if signal == 1 {
                // The seed window ends here: both EMAs start on this bar.
                slowTotal += p[i]
                fastTotal += p[i]
                slowEMA = slowTotal / Double(slow)
                fastEMA = fastTotal / Double(fast)
                value = fastEMA - slowEMA
                signalEMA = (0.0 + value) / 1.0
            } else {
                fastEMA = fastEMA.addingProduct(p[i] - fastEMA, fastK)
                slowEMA = slowEMA.addingProduct(p[i] - slowEMA, slowK)
                value = fastEMA - slowEMA
                signalTotal += value
                signalEMA = signalTotal / Double(signal)
            }
            line[i] = value
            out[i] = signalEMA
            histogram[i] = value - signalEMA
            i += 1
        }
        if signal == 1 {
            while i < n {
                fastEMA = fastEMA.addingProduct(p[i] - fastEMA, fastK)
                slowEMA = slowEMA.addingProduct(p[i] - slowEMA, slowK)
                let value = fastEMA - slowEMA
                line[i] = value
                out[i] = value
                histogram[i] = value - value
                i += 1
            }
        } else {
            while i < n {
                fastEMA = fastEMA.addingProduct(p[i] - fastEMA, fastK)
                slowEMA = slowEMA.addingProduct(p[i] - slowEMA, slowK)
                let value = fastEMA - slowEMA
                signalEMA = signalEMA.addingProduct(value - signalEMA, signalK)
                line[i] = value
                out[i] = signalEMA
                histogram[i] = value - signalEMA
                i += 1
            }
        }
        self.fastEMA = fastEMA
        self.slowEMA = slowEMA
        self.signalEMA = signalEMA
        count += n
    }
}
