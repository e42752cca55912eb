import Testing

@testable import Forecasting

@Suite struct ForecastMetricsTests {
    @Test func handCheckedCase() {
        // errors: 0.5, −1, 0, 2 → MSE (0.25+1+0+4)/4 = 1.3125, MAE 3.5/4 = 0.875.
        // actuals 1, 2, 3, −2: mean 1, Σ(y−ȳ)² = 0+1+4+9 = 14 → R² = 1 − 5.25/14 = 0.625.
        // directions: (1.5,1) hit, (1,2) hit, (3,3) hit, (0,−2) zero call ½ → 3.5/4.
        let m = ForecastMetrics(predictions: [1.5, 1, 3, 0], actuals: [1, 2, 3, -2])
        #expect(m.count == 4)
        #expect(abs(m.mse - 1.3125) < 1e-15)
        #expect(abs(m.mae - 0.875) < 1e-15)
        #expect(abs(m.r2 - 0.625) < 1e-15)
        #expect(abs(m.directionalAccuracy - 0.875) < 1e-15)
    }

    @Test func wrongDirectionsAndZeroActuals() {
        // (−1, 2) miss, (1, −1) miss, (5, 0) not counted, (2, 3) hit → 1/3.
        let m = ForecastMetrics(predictions: [-1, 1, 5, 2], actuals: [2, -1, 0, 3])
        #expect(abs(m.directionalAccuracy - 1.0 / 3.0) < 1e-15)
    }

    @Test func constantActualsFollowScikitLearn() {
        #expect(ForecastMetrics(predictions: [2, 2], actuals: [2, 2]).r2 == 1)
        #expect(ForecastMetrics(predictions: [1, 2], actuals: [2, 2]).r2 == 0)
    }

    @Test func runningSumsAgreeWithBatch() {
        let predictions = [0.3, -0.1, 0.0, 0.25, -0.4, 0.05]
        let actuals = [0.2, 0.1, -0.3, 0.3, -0.2, 0.0]
        var sums = MetricSums()
        for (p, y) in zip(predictions, actuals) { sums.add(prediction: p, actual: y) }
        let live = sums.metrics
        let batch = ForecastMetrics(predictions: predictions, actuals: actuals)
        #expect(live.count == batch.count)
        #expect(abs(live.mse - batch.mse) < 1e-15)
        #expect(abs(live.mae - batch.mae) < 1e-15)
        #expect(abs(live.r2 - batch.r2) < 1e-12)
        #expect(live.directionalAccuracy == batch.directionalAccuracy)
    }
}
