/// Incremental on-balance volume, exactly TA-Lib's `TA_OBV`.
///
/// Starts at the first bar's volume (a TA-Lib quirk, not 0), then adds the volume on an up
/// close and subtracts it on a down close. Cumulative from the first bar given; lookback 0.
///
/// ```swift
/// var obv = OBVState()
/// let values = obv.append(close: closes, volume: volumes)
/// ```
public struct OBVState: Sendable, Equatable, Codable {
    /// Bars consumed so far.
    public private(set) var count = 0
    var total = 0.0
    var previousClose = 0.0

    /// Creates the state.
    public init() {}

    /// Extends the series by these bars and returns their OBV values.
    public mutating func append(close: [Double], volume: [Double]) -> [Double] {
        precondition(close.count == volume.count, "OBV inputs differ in length")
        return close.withUnsafeBufferPointer { c in
            volume.withUnsafeBufferPointer { v in
                OutputColumns.one(c.count) { out in
                    run(close: c, volume: v, into: out)
                }
            }
        }
    }

    mutating func run(
        close: UnsafeBufferPointer<Double>, volume: UnsafeBufferPointer<Double>,
        into out: UnsafeMutablePointer<Double>
    ) {
        let n = close.count
        guard n > 0, let c = close.baseAddress, let v = volume.baseAddress else { return }
        var total = self.total, previous = self.previousClose
        if count == 0 {
            total = v[0]
            previous = c[0]
        }
        for i in 0..<n {
            let value = c[i]
            // Selects rather than branches: up and down closes are a coin toss.
            let up = total + v[i], down = total - v[i]
            total = value > previous ? up : (value < previous ? down : total)
            out[i] = total
            previous = value
        }
        self.total = total
        self.previousClose = previous
        count += n
    }
}
