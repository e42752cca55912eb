/// What a dataset is made of: the forecast horizon and the features.
public struct DatasetConfiguration: Sendable, Codable, Equatable {
    /// The target is the log return from a candle's close to the close `horizonMinutes` later.
    public var horizonMinutes: Int
    /// Lagged log-return features, in minutes (`ret_<k>m`); lags that are not a multiple of
    /// the series' bar interval are left out. The horizon's own lag is always added (for the
    /// persistence baseline).
    public var returnLagMinutes: [Int]
    /// Whether to add the indicator features (``FeatureCatalogue/indicatorFeatures``).
    public var includeIndicators: Bool

    /// A configuration; the default is a 60-minute horizon with 1, 5, 15 and 60-minute lags.
    public init(horizonMinutes: Int = 60, returnLagMinutes: [Int] = [1, 5, 15, 60], includeIndicators: Bool = true) {
        self.horizonMinutes = horizonMinutes
        self.returnLagMinutes = returnLagMinutes
        self.includeIndicators = includeIndicators
    }

    /// The feature names this configuration gives for bars of `barMinutes` minutes.
    public func featureNames(barMinutes: Int) -> [String] {
        var lags = returnLagMinutes.filter { $0 > 0 && $0 % barMinutes == 0 }
        if !lags.contains(horizonMinutes) { lags.append(horizonMinutes) }
        var names = lags.sorted().map { FeatureCatalogue.returnFeature(minutes: $0) }
        names.append(contentsOf: FeatureCatalogue.priceFeatures)
        if includeIndicators { names.append(contentsOf: FeatureCatalogue.indicatorFeatures) }
        return names
    }
}
