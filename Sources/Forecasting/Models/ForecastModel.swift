/// A fitted model of any kind: what an artifact file stores and what scoring runs.
///
/// ```swift
/// let model = ForecastModel.ridge(try RidgeRegression.fit(x, y, alpha: 1, standardize: true))
/// let predictions = model.predict(x)
/// ```
public enum ForecastModel: Sendable, Codable, Equatable {
    /// Always 0.
    case zero
    /// The value of feature `featureIndex` (the past log return over the horizon).
    case persistence(featureIndex: Int)
    /// A ridge regression.
    case ridge(RidgeRegression)
    /// Gradient-boosted trees.
    case gbt(GradientBoostedTrees)

    /// The model's family.
    public var kind: ModelKind {
        switch self {
        case .zero: .zero
        case .persistence: .persistence
        case .ridge: .ridge
        case .gbt: .gbt
        }
    }

    /// Predictions for each row of `x`.
    public func predict(_ x: FeatureMatrix) -> [Double] {
        switch self {
        case .zero: [Double](repeating: 0, count: x.rows)
        case .persistence(let index): x.column(index)
        case .ridge(let model): model.predict(x)
        case .gbt(let model): model.predict(x)
        }
    }

    /// Checks that the model can run on `featureCount` columns; returns why not.
    public func incompatibility(featureCount: Int) -> String? {
        switch self {
        case .zero: return nil
        case .persistence(let index):
            return index >= 0 && index < featureCount ? nil : "persistence feature index \(index) outside \(featureCount) features"
        case .ridge(let model):
            if model.coefficients.count != featureCount {
                return "ridge has \(model.coefficients.count) coefficients for \(featureCount) features"
            }
            if let scaler = model.scaler, scaler.means.count != featureCount || scaler.scales.count != featureCount {
                return "ridge scaler has \(scaler.means.count) means for \(featureCount) features"
            }
            return nil
        case .gbt(let model):
            if model.featureCount != featureCount { return "trees expect \(model.featureCount) features, not \(featureCount)" }
            for (t, tree) in model.trees.enumerated() {
                let n = tree.feature.count
                guard n > 0, [tree.threshold.count, tree.left.count, tree.right.count, tree.value.count].allSatisfy({ $0 == n }) else {
                    return "tree \(t) has inconsistent node arrays"
                }
                for i in 0..<n where tree.feature[i] >= 0 {
                    guard tree.feature[i] < featureCount, (i + 1..<n).contains(tree.left[i]), (i + 1..<n).contains(tree.right[i]) else {
                        return "tree \(t) node \(i) points outside the tree or the features"
                    }
                }
            }
            return nil
        }
    }
}
