/// Error and skill of a set of predictions against realised values.
///
/// Formulas (n rows, prediction p, actual y):
/// - `mse = Σ(p − y)² / n`, `mae = Σ|p − y| / n`
/// - `r2 = 1 − Σ(p − y)² / Σ(y − ȳ)²` (scikit-learn's `r2_score`: 1 when both sums are 0,
///   0 when only the denominator is)
/// - `directionalAccuracy`: over rows with `y ≠ 0`, 1 when `sign(p) = sign(y)`, ½ when `p = 0`
///   (no call), else 0; averaged. Rows with `y = 0` are not counted.
public struct ForecastMetrics: Sendable, Codable, Equatable {
    /// Number of rows scored.
    public var count: Int
    /// Mean squared error.
    public var mse: Double
    /// Mean absolute error.
    public var mae: Double
    /// Coefficient of determination.
    public var r2: Double
    /// Share of directions called right (see the type's documentation).
    public var directionalAccuracy: Double

    /// Metrics with explicit values.
    public init(count: Int, mse: Double, mae: Double, r2: Double, directionalAccuracy: Double) {
        self.count = count
        self.mse = mse
        self.mae = mae
        self.r2 = r2
        self.directionalAccuracy = directionalAccuracy
    }

    /// Metrics of `predictions` against `actuals` (equal lengths).
    public init(predictions: [Double], actuals: [Double]) {
        precondition(predictions.count == actuals.count, "\(predictions.count) predictions, \(actuals.count) actuals")
        var sums = MetricSums()
        for (p, y) in zip(predictions, actuals) { sums.add(prediction: p, actual: y) }
        self = sums.metrics
        guard !actuals.isEmpty else { return }
        // R² from a second pass around the mean, as scikit-learn computes it.
        let mean = actuals.reduce(0, +) / Double(actuals.count)
        let total = actuals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        if total == 0 { r2 = sums.sumSquaredError == 0 ? 1 : 0 } else { r2 = 1 - sums.sumSquaredError / total }
    }
}

/// Running sums from which ``ForecastMetrics`` follow; lets live scoring accumulate row by row.
public struct MetricSums: Sendable, Codable, Equatable {
    /// Rows added.
    public var count = 0
    /// Σ(p − y)².
    public var sumSquaredError = 0.0
    /// Σ|p − y|.
    public var sumAbsoluteError = 0.0
    /// Σy.
    public var sumActual = 0.0
    /// Σy².
    public var sumActualSquared = 0.0
    /// Direction points (1 per hit, ½ per zero prediction).
    public var directionPoints = 0.0
    /// Rows with a non-zero actual.
    public var directionRows = 0

    /// Empty sums.
    public init() {}

    /// Adds one prediction and what happened.
    public mutating func add(prediction p: Double, actual y: Double) {
        count += 1
        let e = p - y
        sumSquaredError += e * e
        sumAbsoluteError += abs(e)
        sumActual += y
        sumActualSquared += y * y
        if y != 0 {
            directionRows += 1
            if p == 0 { directionPoints += 0.5 } else if (p > 0) == (y > 0) { directionPoints += 1 }
        }
    }

    /// The metrics of what was added (all zero when nothing was).
    public var metrics: ForecastMetrics {
        guard count > 0 else { return ForecastMetrics(count: 0, mse: 0, mae: 0, r2: 0, directionalAccuracy: 0) }
        let n = Double(count)
        let total = max(0, sumActualSquared - sumActual * sumActual / n)
        let r2: Double
        if total == 0 { r2 = sumSquaredError == 0 ? 1 : 0 } else { r2 = 1 - sumSquaredError / total }
        let direction = directionRows == 0 ? 0 : directionPoints / Double(directionRows)
        return ForecastMetrics(
            count: count, mse: sumSquaredError / n, mae: sumAbsoluteError / n,
            r2: r2, directionalAccuracy: direction)
    }
}
