/// Walk-forward (expanding or sliding window) splits of time-ordered rows, with a gap between
/// the last training row and the first test row so that no training target overlaps the test.
///
/// The rows after the first `1 − testFraction` are cut into `folds` contiguous test folds;
/// fold `k` trains on every earlier row whose time `t` satisfies `t + gap < T`, where `T` is
/// the time of the fold's first test row (at most the latest `maxTrainRows` of them).
///
/// ```swift
/// let folds = try WalkForward(folds: 4, testFraction: 0.5, gapMicros: 3_600_000_000).folds(times: dataset.times)
/// ```
public struct WalkForward: Sendable, Codable, Equatable {
    /// One train/test split as row ranges.
    public struct Fold: Sendable, Codable, Equatable {
        /// Training rows.
        public var train: Range<Int>
        /// Test rows.
        public var test: Range<Int>
    }

    /// Number of test folds.
    public var folds: Int
    /// Share of the rows (at the end) used as test folds.
    public var testFraction: Double
    /// Minimum time between a training row and the first test row, in microseconds (≥ the horizon).
    public var gapMicros: Int64
    /// Cap on training rows per fold (a sliding window); nil trains on all earlier rows.
    public var maxTrainRows: Int?

    /// A plan; `folds ≥ 1`, `0 < testFraction < 1`, `gapMicros ≥ 0`.
    public init(folds: Int = 4, testFraction: Double = 0.5, gapMicros: Int64, maxTrainRows: Int? = nil) {
        self.folds = folds
        self.testFraction = testFraction
        self.gapMicros = gapMicros
        self.maxTrainRows = maxTrainRows
    }

    /// The folds for rows at `times` (ascending, µs).
    /// - Throws: ``ForecastingError/invalidDataset(_:)`` when the rows cannot fill the folds.
    public func folds(times: [Int64]) throws -> [Fold] {
        guard folds >= 1, testFraction > 0, testFraction < 1, gapMicros >= 0 else {
            throw ForecastingError.invalidDataset(
                "walk-forward: folds \(folds), test fraction \(testFraction), gap \(gapMicros) µs are not valid")
        }
        let n = times.count
        let testStart = n - Int((Double(n) * testFraction).rounded())
        let testRows = n - testStart
        guard testRows >= folds else {
            throw ForecastingError.invalidDataset("walk-forward: \(n) rows give \(testRows) test rows for \(folds) folds")
        }
        var result = [Fold]()
        for k in 0..<folds {
            let start = testStart + k * testRows / folds
            let end = testStart + (k + 1) * testRows / folds
            // Training rows end before the first row whose time is within `gap` of the test start.
            let limit = times[start] - gapMicros
            var lo = 0
            var hi = start
            while lo < hi {
                let mid = (lo + hi) / 2
                if times[mid] < limit { lo = mid + 1 } else { hi = mid }
            }
            let trainEnd = lo
            let trainStart = maxTrainRows.map { max(0, trainEnd - $0) } ?? 0
            guard trainEnd - trainStart >= 2 else {
                throw ForecastingError.invalidDataset(
                    "walk-forward: fold \(k + 1) has \(trainEnd - trainStart) training rows before the gap")
            }
            result.append(Fold(train: trainStart..<trainEnd, test: start..<end))
        }
        return result
    }
}
