/// What one `train` call did.
public struct TrainingResult: Sendable {
    /// The registered model versions, one per trained kind, with their validation metrics.
    public var models: [ModelRecord]
    /// The best model for the symbol and horizon after this run.
    public var best: ModelRecord
    /// Dataset rows used (after `maxRows`).
    public var datasetRows: Int
    /// The walk-forward folds, as row ranges of that dataset.
    public var folds: [WalkForward.Fold]
}
