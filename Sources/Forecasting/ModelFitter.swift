/// Fits a model of a given kind with the configured hyperparameters.
struct ModelFitter {
    let configuration: TrainingConfiguration
    let featureNames: [String]
    let horizonMinutes: Int

    func fit(_ kind: ModelKind, _ x: FeatureMatrix, _ y: [Double]) throws -> ForecastModel {
        switch kind {
        case .zero:
            return .zero
        case .persistence:
            let name = FeatureCatalogue.returnFeature(minutes: horizonMinutes)
            guard let index = featureNames.firstIndex(of: name) else {
                throw ForecastingError.trainingFailed("persistence needs feature \(name)")
            }
            return .persistence(featureIndex: index)
        case .ridge:
            return .ridge(try RidgeRegression.fit(x, y, alpha: configuration.ridgeAlpha, standardize: true))
        case .gbt:
            return .gbt(try GradientBoostedTrees.fit(x, y, parameters: configuration.trees))
        }
    }

    func parameters(_ kind: ModelKind) -> [String: String] {
        var common = [
            "horizon_minutes": "\(horizonMinutes)", "folds": "\(configuration.folds)",
            "test_fraction": "\(configuration.testFraction)",
            "max_train_rows": configuration.maxTrainRows.map(String.init) ?? "all",
        ]
        switch kind {
        case .zero: break
        case .persistence: common["feature"] = FeatureCatalogue.returnFeature(minutes: horizonMinutes)
        case .ridge:
            common["alpha"] = "\(configuration.ridgeAlpha)"
            common["standardize"] = "true"
        case .gbt:
            let t = configuration.trees
            common["trees"] = "\(t.trees)"
            common["max_depth"] = "\(t.maxDepth)"
            common["learning_rate"] = "\(t.learningRate)"
            common["subsample"] = "\(t.subsample)"
            common["min_samples_leaf"] = "\(t.minSamplesLeaf)"
            common["bins"] = "\(t.bins)"
            common["l2"] = "\(t.l2)"
            common["seed"] = "\(t.seed)"
        }
        return common
    }
}
