import Testing

@testable import Forecasting

@Suite struct WalkForwardTests {
    private let minute: Int64 = 60_000_000

    @Test func foldBoundariesAndGap() throws {
        let times = (0..<1000).map { Int64($0) * minute }
        let plan = WalkForward(folds: 4, testFraction: 0.4, gapMicros: 60 * minute)
        let folds = try plan.folds(times: times)
        // Test region: the last 400 rows, 100 per fold, contiguous and in order.
        #expect(folds.map(\.test) == [600..<700, 700..<800, 800..<900, 900..<1000])
        // Training ends 60 rows (the gap) before each test fold; expanding from row 0.
        #expect(folds.map(\.train) == [0..<540, 0..<640, 0..<740, 0..<840])
        for fold in folds {
            let lastTrain = times[fold.train.upperBound - 1]
            let firstTest = times[fold.test.lowerBound]
            #expect(lastTrain + plan.gapMicros < firstTest)
            #expect(times[fold.train.upperBound] + plan.gapMicros >= firstTest)
        }
    }

    @Test func gapIsMeasuredInTimeAcrossMissingRows() throws {
        // Rows every minute for minutes 0–99, a 30-minute hole, then minutes 130–199.
        var times = (0..<100).map { Int64($0) * minute }
        times += (130..<200).map { Int64($0) * minute }
        let folds = try WalkForward(folds: 1, testFraction: 50.0 / 170.0, gapMicros: 45 * minute).folds(times: times)
        let fold = try #require(folds.first)
        #expect(fold.test == 120..<170)
        #expect(times[fold.test.lowerBound] == 150 * minute)
        // Training rows need t + 45 < 150, i.e. minute ≤ 104: every row before the hole
        // (counting 45 rows back instead would stop at row 75).
        #expect(fold.train == 0..<100)
    }

    @Test func slidingWindowCapsTrainingRows() throws {
        let times = (0..<1000).map { Int64($0) * minute }
        let folds = try WalkForward(folds: 2, testFraction: 0.5, gapMicros: 10 * minute, maxTrainRows: 200).folds(times: times)
        #expect(folds.map(\.train) == [290..<490, 540..<740])
    }

    @Test func tooFewRowsIsAClearError() {
        #expect(throws: ForecastingError.self) {
            try WalkForward(folds: 4, testFraction: 0.5, gapMicros: 0).folds(times: [0, 1, 2])
        }
        #expect(throws: ForecastingError.self) {
            try WalkForward(folds: 1, testFraction: 0.5, gapMicros: 100 * minute).folds(times: (0..<50).map { Int64($0) * minute })
        }
    }
}
