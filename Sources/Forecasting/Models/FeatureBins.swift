/// Quantile cut points per feature, and the training rows mapped to bin numbers.
/// Bin `b` of a feature holds values `x` with `cuts[b-1] < x ≤ cuts[b]`; the last bin holds
/// values above every cut.
struct FeatureBins {
    /// Sorted, distinct cut points per feature.
    var cuts: [[Double]]
    /// Row-major bin numbers of the training rows (rows × features).
    var binned: [UInt8]

    init(_ x: FeatureMatrix, maxBins: Int) {
        let bins = min(max(maxBins, 2), 256)
        let step = max(1, x.rows / 4096)  // quantiles from at most ~8k evenly spaced rows
        var cuts = [[Double]]()
        for c in 0..<x.columns {
            var sample = [Double]()
            sample.reserveCapacity(x.rows / step + 1)
            for r in stride(from: 0, to: x.rows, by: step) { sample.append(x[r, c]) }
            sample.sort()
            var featureCuts = [Double]()
            if !sample.isEmpty {
                for k in 1..<bins {
                    let v = sample[min(sample.count - 1, k * sample.count / bins)]
                    if featureCuts.last.map({ v > $0 }) ?? true, v < sample[sample.count - 1] { featureCuts.append(v) }
                }
            }
            cuts.append(featureCuts)
        }
        var binned = [UInt8](repeating: 0, count: x.rows * x.columns)
        for c in 0..<x.columns {
            let featureCuts = cuts[c]
            for r in 0..<x.rows { binned[r * x.columns + c] = UInt8(Self.bin(of: x[r, c], cuts: featureCuts)) }
        }
        self.cuts = cuts
        self.binned = binned
    }

    /// The first index `b` with `cuts[b] ≥ value` (`cuts.count` when none).
    static func bin(of value: Double, cuts: [Double]) -> Int {
        var lo = 0
        var hi = cuts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cuts[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
