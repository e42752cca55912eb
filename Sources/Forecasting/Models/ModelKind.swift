/// The families of models Updraft trains.
public enum ModelKind: String, Sendable, Codable, CaseIterable {
    /// Naive baseline: always predicts a zero log return.
    case zero
    /// Naive baseline: predicts that the last `horizon` minutes' log return repeats.
    case persistence
    /// Ridge regression on standardised features (closed form).
    case ridge
    /// Gradient-boosted regression trees (squared loss, histogram splits).
    case gbt

    /// Whether this kind is a naive baseline rather than a learnt model.
    public var isBaseline: Bool { self == .zero || self == .persistence }
}
