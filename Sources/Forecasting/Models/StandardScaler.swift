/// Per-column standardisation, `z = (x − mean) / scale`, with scikit-learn's `StandardScaler`
/// semantics: population standard deviation (ddof 0), and a scale of 1 for constant columns.
public struct StandardScaler: Sendable, Codable, Equatable {
    /// Column means of the data the scaler was fitted on.
    public var means: [Double]
    /// Column scales (population standard deviations; 1 where a column is constant).
    public var scales: [Double]

    /// A scaler with explicit parameters.
    public init(means: [Double], scales: [Double]) {
        self.means = means
        self.scales = scales
    }

    /// Fits means and scales to the columns of `x` (two passes, for accuracy).
    public init(fitting x: FeatureMatrix) {
        let n = Double(max(x.rows, 1))
        var means = [Double](repeating: 0, count: x.columns)
        for r in 0..<x.rows { for c in 0..<x.columns { means[c] += x[r, c] } }
        for c in 0..<x.columns { means[c] /= n }
        var variances = [Double](repeating: 0, count: x.columns)
        for r in 0..<x.rows {
            for c in 0..<x.columns {
                let d = x[r, c] - means[c]
                variances[c] += d * d
            }
        }
        // scikit-learn's `_is_constant_feature`: a variance within its rounding bound
        // `n·eps·var + (n·mean·eps)²` counts as zero, and such a column gets a scale of 1.
        let eps = Double.ulpOfOne
        let scales = (0..<x.columns).map { c -> Double in
            let variance = variances[c] / n
            let bound = n * eps * variance + (n * means[c] * eps) * (n * means[c] * eps)
            return variance <= bound ? 1 : variance.squareRoot()
        }
        self.init(means: means, scales: scales)
    }

    /// `x` standardised column by column.
    public func transform(_ x: FeatureMatrix) -> FeatureMatrix {
        precondition(x.columns == means.count, "scaler has \(means.count) columns, input \(x.columns)")
        var out = x
        for r in 0..<x.rows {
            for c in 0..<x.columns { out[r, c] = (x[r, c] - means[c]) / scales[c] }
        }
        return out
    }
}
