/// Incremental simple moving average, exactly TA-Lib's `TA_SMA`.
///
/// A running total: add the new value, divide by the period, drop the value leaving the window.
/// Lookback `period - 1`.
///
/// ```swift
/// var sma = SMAState(period: 3)
/// let first = sma.append([1, 2, 3])   // [nan, nan, 2]
/// let next = sma.append([4])          // [3], as if computed over [1, 2, 3, 4]
/// ```
public struct SMAState: Sendable, Equatable, Codable {
    /// Window length (≥ 1).
    public let period: Int
    /// Inputs consumed so far.
    public private(set) var count = 0
    var total = 0.0
    var tail: InputTail

    /// Creates the state; `period` must be at least 1.
    public init(period: Int) {
        precondition(period >= 1, "SMA period must be ≥ 1, got \(period)")
        self.period = period
        self.tail = InputTail(capacity: period - 1)
    }

    /// Leading undefined outputs: `period - 1`.
    public var lookback: Int { period - 1 }

    /// Extends the series by `values` and returns their SMA values (`.nan` inside the lookback).
    public mutating func append(_ values: [Double]) -> [Double] {
        values.withUnsafeBufferPointer { x in
            OutputColumns.one(x.count) { out in
                run(x, into: out)
            }
        }
    }

    /// Processes a chunk, writing one output per input into `out`.
    mutating func run(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let n = x.count
        guard n > 0, let p = x.baseAddress else { return }
        let lb = period - 1
        let divisor = Double(period)
        var total = self.total
        var i = 0
        tail.values.withUnsafeBufferPointer { tail in
            while i < n && count + i < lb {
                total += p[i]
                out[i] = .nan
                i += 1
            }
            // The trailing value may still lie in the previous chunk.
            while i < n && i < lb {
                total += p[i]
                out[i] = total / divisor
                total -= element(i - lb, p, tail)
                i += 1
            }
        }
        while i < n {
            total += p[i]
            out[i] = total / divisor
            total -= p[i - lb]
            i += 1
        }
        self.total = total
        count += n
        tail.absorb(x)
    }
}
