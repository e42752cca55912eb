import Foundation
import Testing

@testable import Forecasting

/// The committed fixture made by `Fixtures/make_ridge_fixture.py` with scikit-learn.
private struct RidgeFixture: Decodable {
    struct Case: Decodable {
        var name: String
        var alpha: Double
        var standardize: Bool
        var x: [[Double]]
        var y: [Double]
        var x_test: [[Double]]
        var coef: [Double]
        var intercept: Double
        var predictions_test: [Double]
        var scaler_mean: [Double]?
        var scaler_scale: [Double]?
    }
    var sklearn_version: String
    var cases: [Case]

    static func load() throws -> RidgeFixture {
        try JSONDecoder().decode(RidgeFixture.self, from: Data(contentsOf: FixturePath.url("ridge_fixture.json")))
    }
}

@Suite struct RidgeRegressionTests {
    @Test func matchesScikitLearnToOneMillionth() throws {
        let fixture = try RidgeFixture.load()
        #expect(fixture.cases.count == 3)
        for c in fixture.cases {
            let model = try RidgeRegression.fit(FeatureMatrix(rowArrays: c.x), c.y, alpha: c.alpha, standardize: c.standardize)
            for (mine, theirs) in zip(model.coefficients, c.coef) {
                #expect(abs(mine - theirs) <= 1e-6, "\(c.name): coefficient \(mine) vs \(theirs)")
            }
            #expect(abs(model.intercept - c.intercept) <= 1e-6, "\(c.name): intercept")
            let predictions = model.predict(FeatureMatrix(rowArrays: c.x_test))
            for (mine, theirs) in zip(predictions, c.predictions_test) {
                #expect(abs(mine - theirs) <= 1e-6, "\(c.name): prediction \(mine) vs \(theirs)")
            }
            if let means = c.scaler_mean, let scales = c.scaler_scale {
                let scaler = try #require(model.scaler)
                for (mine, theirs) in zip(scaler.means + scaler.scales, means + scales) {
                    #expect(abs(mine - theirs) <= 1e-9 * max(1, abs(theirs)), "\(c.name): scaler")
                }
            } else {
                #expect(model.scaler == nil)
            }
        }
    }

    @Test func interceptIsNotPenalised() throws {
        // y = 5 for every row: a huge penalty zeroes the slope but the intercept stays the mean.
        let x = FeatureMatrix(rowArrays: [[1], [2], [3], [4]])
        let model = try RidgeRegression.fit(x, [5, 5, 5, 5], alpha: 1e9, standardize: true)
        #expect(abs(model.coefficients[0]) < 1e-12)
        #expect(abs(model.intercept - 5) < 1e-12)
    }

    @Test func zeroAlphaRecoversAnExactLine() throws {
        let x = FeatureMatrix(rowArrays: [[0, 1], [1, 0], [2, 5], [3, 2], [4, 4]])
        let y = (0..<5).map { 2 * x[$0, 0] - 0.5 * x[$0, 1] + 3 }
        let model = try RidgeRegression.fit(x, y, alpha: 0, standardize: false)
        #expect(abs(model.coefficients[0] - 2) < 1e-10)
        #expect(abs(model.coefficients[1] + 0.5) < 1e-10)
        #expect(abs(model.intercept - 3) < 1e-10)
    }

    @Test func singularSystemIsAClearError() {
        let x = FeatureMatrix(rowArrays: [[1, 2], [1, 2], [1, 2]])
        #expect(throws: ForecastingError.self) { try RidgeRegression.fit(x, [1, 2, 3], alpha: 0, standardize: false) }
        #expect(throws: ForecastingError.trainingFailed("ridge: no training rows")) {
            try RidgeRegression.fit(FeatureMatrix(rows: 0, columns: 2), [], alpha: 1, standardize: true)
        }
    }
}
