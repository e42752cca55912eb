/// Incremental volume-weighted average price, exactly TA-Lib 0.8.1's `TA_VWAP`.
///
/// `Σ(typical price × volume) / Σ volume` with typical price `(high + low + close) / 3`,
/// cumulative from the first bar given and never reset (pass one session's bars to anchor it).
/// Before any volume has traded the value is 0.0; a bar with a non-finite price or volume is
/// skipped. The incremental form carries the two running sums, so appending bars continues
/// the same cumulative average. Lookback 0.
///
/// ```swift
/// var vwap = VWAPState()
/// let values = vwap.append(high: highs, low: lows, close: closes, volume: volumes)
/// ```
public struct VWAPState: Sendable, Equatable, Codable {
    /// Bars consumed so far.
    public private(set) var count = 0
    var priceVolumeTotal = 0.0
    var volumeTotal = 0.0
    var value = 0.0

    /// Creates the state.
    public init() {}

    /// Extends the series by these bars and returns their VWAP values.
    public mutating func append(high: [Double], low: [Double], close: [Double], volume: [Double]) -> [Double] {
        precondition(
            high.count == low.count && low.count == close.count && close.count == volume.count,
            "VWAP inputs differ in length")
        return high.withUnsafeBufferPointer { h in
            low.withUnsafeBufferPointer { l in
                close.withUnsafeBufferPointer { c in
                    volume.withUnsafeBufferPointer { v in
                        OutputColumns.one(c.count) { out in
                            run(high: h, low: l, close: c, volume: v, into: out)
                        }
                    }
                }
            }
        }
    }

    mutating func run(
        high: UnsafeBufferPointer<Double>, low: UnsafeBufferPointer<Double>,
        close: UnsafeBufferPointer<Double>, volume: UnsafeBufferPointer<Double>,
        into out: UnsafeMutablePointer<Double>
    ) {
        let n = close.count
        guard n > 0, let h = high.baseAddress, let l = low.baseAddress, let c = close.baseAddress,
            let v = volume.baseAddress
        else { return }
        var sumPV = priceVolumeTotal, sumV = volumeTotal, vwap = value
        for i in 0..<n {
            let typical = (h[i] + l[i] + c[i]) / 3.0
            let weight = v[i]
            if typical.isFinite && weight.isFinite {
                sumPV += typical * weight
                sumV += weight
            }
            if sumV > 0.0 { vwap = sumPV / sumV }
            out[i] = vwap
        }
        priceVolumeTotal = sumPV
        volumeTotal = sumV
        value = vwap
        count += n
    }
}
