/// Ridge regression solved in closed form, with scikit-learn's
/// `Ridge(alpha:, fit_intercept=True)` semantics: `X` and `y` are centred, the intercept is
/// not penalised, and `X` is not scaled. Standardisation, when wanted, is an explicit
/// ``StandardScaler`` step in front (like scikit-learn's `StandardScaler` + `Ridge` pipeline).
///
/// ```swift
/// let model = try RidgeRegression.fit(x, y, alpha: 1.0, standardize: true)
/// let predictions = model.predict(x)
/// ```
public struct RidgeRegression: Sendable, Codable, Equatable {
    /// L2 penalty on the coefficients.
    public var alpha: Double
    /// The standardisation applied before the linear map, if any.
    public var scaler: StandardScaler?
    /// Coefficients in the (possibly standardised) feature space.
    public var coefficients: [Double]
    /// The unpenalised intercept.
    public var intercept: Double

    /// A model with explicit parameters.
    public init(alpha: Double, scaler: StandardScaler?, coefficients: [Double], intercept: Double) {
        self.alpha = alpha
        self.scaler = scaler
        self.coefficients = coefficients
        self.intercept = intercept
    }

    /// Fits the model: solves `(XcᵀXc + αI) w = Xcᵀyc` by Cholesky, `intercept = ȳ − x̄ᵀw`.
    /// - Throws: ``ForecastingError/trainingFailed(_:)`` when there are no rows or the system is singular.
    public static func fit(_ x: FeatureMatrix, _ y: [Double], alpha: Double, standardize: Bool) throws -> RidgeRegression {
        precondition(x.rows == y.count, "\(x.rows) rows but \(y.count) targets")
        guard x.rows > 0 else { throw ForecastingError.trainingFailed("ridge: no training rows") }
        let scaler = standardize ? StandardScaler(fitting: x) : nil
        let z = scaler?.transform(x) ?? x
        let p = z.columns
        let n = Double(z.rows)
        var xMean = [Double](repeating: 0, count: p)
        var yMean = 0.0
        for r in 0..<z.rows {
            for c in 0..<p { xMean[c] += z[r, c] }
            yMean += y[r]
        }
        for c in 0..<p { xMean[c] /= n }
        yMean /= n
        var gram = [Double](repeating: 0, count: p * p)
        var xty = [Double](repeating: 0, count: p)
        var centred = [Double](repeating: 0, count: p)
        z.values.withUnsafeBufferPointer { zv in
            for r in 0..<z.rows {
                let base = r * p
                for c in 0..<p { centred[c] = zv[base + c] - xMean[c] }
                let yc = y[r] - yMean
                for i in 0..<p {
                    let ci = centred[i]
                    xty[i] += ci * yc
                    for j in 0...i { gram[i * p + j] += ci * centred[j] }
                }
            }
        }
        for i in 0..<p {
            for j in 0..<i { gram[j * p + i] = gram[i * p + j] }
            gram[i * p + i] += alpha
        }
        let w: [Double]
        do {
            w = try LinearSystem.solveSymmetricPositiveDefinite(gram, xty, n: p)
        } catch {
            throw ForecastingError.trainingFailed("ridge (alpha \(alpha)): \(error)")
        }
        var intercept = yMean
        for c in 0..<p { intercept -= xMean[c] * w[c] }
        return RidgeRegression(alpha: alpha, scaler: scaler, coefficients: w, intercept: intercept)
    }

    /// Predictions for each row of `x` (raw, unstandardised features).
    public func predict(_ x: FeatureMatrix) -> [Double] {
        precondition(x.columns == coefficients.count, "model has \(coefficients.count) features, input \(x.columns)")
        let p = coefficients.count
        return (0..<x.rows).map { r in
            var s = intercept
            for c in 0..<p {
                let v = scaler.map { (x[r, c] - $0.means[c]) / $0.scales[c] } ?? x[r, c]
                s += v * coefficients[c]
            }
            return s
        }
    }
}
