import Testing

@testable import Forecasting

@Suite struct GradientBoostedTreesTests {
    /// y = step(x0) + 0.5·x1·x2 + noise: non-linear, with interactions, seeded.
    private func synthetic(rows: Int, seed: UInt64) -> (FeatureMatrix, [Double]) {
        var rng = SplitMix64(seed: seed)
        var x = FeatureMatrix(rows: rows, columns: 4)
        var y = [Double]()
        for r in 0..<rows {
            for c in 0..<4 { x[r, c] = rng.nextGaussian() }
            let signal = (x[r, 0] > 0.3 ? 1.0 : -1.0) + 0.5 * (x[r, 1] > 0 ? 1 : -1) * (x[r, 2] > 0 ? 1 : -1)
            y.append(signal + 0.3 * rng.nextGaussian())
        }
        return (x, y)
    }

    @Test func learnsANonLinearSignalBetterThanRidgeAndZero() throws {
        let (xTrain, yTrain) = synthetic(rows: 4000, seed: 1)
        let (xTest, yTest) = synthetic(rows: 2000, seed: 2)
        let trees = try GradientBoostedTrees.fit(xTrain, yTrain, parameters: .init(trees: 80, maxDepth: 3, minSamplesLeaf: 20))
        let ridge = try RidgeRegression.fit(xTrain, yTrain, alpha: 1, standardize: true)
        let treeMetrics = ForecastMetrics(predictions: trees.predict(xTest), actuals: yTest)
        let ridgeMetrics = ForecastMetrics(predictions: ridge.predict(xTest), actuals: yTest)
        let zeroMetrics = ForecastMetrics(predictions: [Double](repeating: 0, count: yTest.count), actuals: yTest)
        #expect(treeMetrics.r2 > 0.8)
        #expect(treeMetrics.mse < ridgeMetrics.mse)
        #expect(treeMetrics.mse < 0.2 * zeroMetrics.mse)
        #expect(treeMetrics.directionalAccuracy > 0.9)
    }

    @Test func sameSeedSameModel() throws {
        let (x, y) = synthetic(rows: 1000, seed: 3)
        let a = try GradientBoostedTrees.fit(x, y, parameters: .init(trees: 10, subsample: 0.5, minSamplesLeaf: 10, seed: 7))
        let b = try GradientBoostedTrees.fit(x, y, parameters: .init(trees: 10, subsample: 0.5, minSamplesLeaf: 10, seed: 7))
        #expect(a == b)
        let c = try GradientBoostedTrees.fit(x, y, parameters: .init(trees: 10, subsample: 0.5, minSamplesLeaf: 10, seed: 8))
        #expect(a != c)
    }

    @Test func treesRespectDepthAndLeafSize() throws {
        let (x, y) = synthetic(rows: 500, seed: 4)
        let model = try GradientBoostedTrees.fit(x, y, parameters: .init(trees: 5, maxDepth: 2, subsample: 1, minSamplesLeaf: 50))
        for tree in model.trees {
            #expect(tree.feature.count <= 7)  // a depth-2 tree has at most 7 nodes
            #expect(tree.feature.count > 1)
        }
        #expect(ForecastModel.gbt(model).incompatibility(featureCount: 4) == nil)
        #expect(ForecastModel.gbt(model).incompatibility(featureCount: 3) != nil)
    }

    @Test func constantTargetGivesConstantPredictions() throws {
        let (x, _) = synthetic(rows: 300, seed: 5)
        let model = try GradientBoostedTrees.fit(x, [Double](repeating: 0.25, count: 300), parameters: .init(trees: 5))
        #expect(model.predict(x).allSatisfy { abs($0 - 0.25) < 1e-15 })
    }
}
