/// Gradient-boosted regression trees for squared loss, with histogram split finding:
/// each feature is cut into at most ``Parameters-swift.struct/bins`` quantile bins on the
/// training rows, and every split is chosen on those bins.
///
/// ```swift
/// let model = GradientBoostedTrees.fit(x, y, parameters: .init(trees: 100, maxDepth: 3))
/// let predictions = model.predict(x)
/// ```
public struct GradientBoostedTrees: Sendable, Codable, Equatable {
    /// Training parameters.
    public struct Parameters: Sendable, Codable, Equatable {
        /// Number of boosting rounds.
        public var trees: Int
        /// Maximum depth of each tree (1 is a stump).
        public var maxDepth: Int
        /// Shrinkage applied to each tree's output.
        public var learningRate: Double
        /// Fraction of rows drawn (without replacement) for each tree; 1 uses all rows.
        public var subsample: Double
        /// Fewest training rows a leaf may hold.
        public var minSamplesLeaf: Int
        /// Most quantile bins per feature (2…256).
        public var bins: Int
        /// L2 penalty on leaf values (0 for plain means).
        public var l2: Double
        /// Seed of the row subsampling.
        public var seed: UInt64

        /// Parameters; the defaults suit minute returns in a demo (fast, mildly regularised).
        public init(
            trees: Int = 60, maxDepth: Int = 3, learningRate: Double = 0.1, subsample: Double = 0.5,
            minSamplesLeaf: Int = 100, bins: Int = 32, l2: Double = 0, seed: UInt64 = 42
        ) {
            self.trees = trees
            self.maxDepth = maxDepth
            self.learningRate = learningRate
            self.subsample = subsample
            self.minSamplesLeaf = minSamplesLeaf
            self.bins = bins
            self.l2 = l2
            self.seed = seed
        }
    }

    /// One tree in flat form: node `i` splits on `feature[i]` (go left when `x ≤ threshold[i]`)
    /// into `left[i]`/`right[i]`, or is a leaf (`feature[i] == -1`) with output `value[i]`.
    public struct Tree: Sendable, Codable, Equatable {
        /// Split feature per node; -1 marks a leaf.
        public var feature: [Int]
        /// Split threshold per node (go left when `x ≤ threshold`).
        public var threshold: [Double]
        /// Left child per node (-1 for leaves).
        public var left: [Int]
        /// Right child per node (-1 for leaves).
        public var right: [Int]
        /// Output per node, used at leaves (learning rate already applied).
        public var value: [Double]

        /// The tree's output for one row of features.
        public func evaluate(_ row: UnsafeBufferPointer<Double>) -> Double {
            var node = 0
            while feature[node] >= 0 {
                node = row[feature[node]] <= threshold[node] ? left[node] : right[node]
            }
            return value[node]
        }
    }

    /// The parameters the model was trained with.
    public var parameters: Parameters
    /// The starting prediction (mean of the training targets).
    public var baseValue: Double
    /// The fitted trees; their (already shrunk) outputs add to ``baseValue``.
    public var trees: [Tree]
    /// Number of features the model expects.
    public var featureCount: Int

    /// A model with explicit parts.
    public init(parameters: Parameters, baseValue: Double, trees: [Tree], featureCount: Int) {
        self.parameters = parameters
        self.baseValue = baseValue
        self.trees = trees
        self.featureCount = featureCount
    }

    /// Predictions for each row of `x`.
    public func predict(_ x: FeatureMatrix) -> [Double] {
        precondition(x.columns == featureCount, "model has \(featureCount) features, input \(x.columns)")
        var out = [Double](repeating: baseValue, count: x.rows)
        x.values.withUnsafeBufferPointer { all in
            for r in 0..<x.rows {
                let row = UnsafeBufferPointer(rebasing: all[(r * featureCount)..<((r + 1) * featureCount)])
                var s = baseValue
                for tree in trees { s += tree.evaluate(row) }
                out[r] = s
            }
        }
        return out
    }
}
