/// How `train` builds, validates and fits models. The defaults keep a demo fast
/// (10 symbols × ~130k one-minute candles in seconds): the latest `maxRows` dataset rows,
/// sliding training windows of `maxTrainRows`, 60 shallow trees on half the rows each.
public struct TrainingConfiguration: Sendable, Codable, Equatable {
    /// Features; its horizon is replaced by the `horizonMinutes` given to `train`.
    public var dataset: DatasetConfiguration
    /// Model families to train (the zero baseline is always validated, for comparison).
    public var kinds: [ModelKind]
    /// Number of walk-forward test folds.
    public var folds: Int
    /// Share of the rows used as walk-forward test folds.
    public var testFraction: Double
    /// Extra gap in minutes between training and test rows; the gap used is
    /// `max(gapMinutes, horizon)`, so no training target overlaps the test period.
    public var gapMinutes: Int
    /// Only the latest this many dataset rows are used (nil: all); the candles before them,
    /// beyond `warmupBars` of indicator warm-up, are not even read.
    public var maxRows: Int?
    /// Candles kept before the first used row so the exponential indicators settle.
    public var warmupBars: Int
    /// Training rows per fit, the latest before the gap (nil: all earlier rows).
    public var maxTrainRows: Int?
    /// Ridge penalty (on standardised features).
    public var ridgeAlpha: Double
    /// Gradient-boosted trees parameters.
    public var trees: GradientBoostedTrees.Parameters

    /// A configuration; every parameter has a demo-friendly default.
    public init(
        dataset: DatasetConfiguration = .init(), kinds: [ModelKind] = ModelKind.allCases, folds: Int = 4,
        testFraction: Double = 0.3, gapMinutes: Int = 0, maxRows: Int? = 60_000, warmupBars: Int = 1000,
        maxTrainRows: Int? = 20_000,
        ridgeAlpha: Double = 10, trees: GradientBoostedTrees.Parameters = .init()
    ) {
        self.dataset = dataset
        self.kinds = kinds
        self.folds = folds
        self.testFraction = testFraction
        self.gapMinutes = gapMinutes
        self.maxRows = maxRows
        self.warmupBars = warmupBars
        self.maxTrainRows = maxTrainRows
        self.ridgeAlpha = ridgeAlpha
        self.trees = trees
    }
}
