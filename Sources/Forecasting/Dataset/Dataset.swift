import Foundation
import MarketData

/// Supervised rows from a candle series: features known at a candle's close, and the target
/// log return over the next `horizonMinutes`. Rows with an undefined feature (indicator
/// lookback, missing lagged candle) or no target (the last `horizon` of the series, gaps) are
/// dropped, so every row is complete.
///
/// ```swift
/// let dataset = try Dataset(series: candles, configuration: DatasetConfiguration(horizonMinutes: 60))
/// ```
public struct Dataset: Sendable {
    /// Feature names, one per column of ``features``.
    public var featureNames: [String]
    /// Open time (µs) of each row's candle; ascending. Features use that candle's close.
    public var times: [Int64]
    /// One row per sample.
    public var features: FeatureMatrix
    /// `log(close(t + horizon) / close(t))` per row.
    public var targets: [Double]
    /// The target's horizon in minutes.
    public var horizonMinutes: Int
    /// The series' bar interval in µs.
    public var barMicros: Int64

    /// Builds the dataset.
    /// - Throws: ``ForecastingError/invalidDataset(_:)`` for unsorted candles, a horizon that is
    ///   not a multiple of the bar interval, or a series too short to give any complete row.
    public init(series: CandleSeries, configuration: DatasetConfiguration = .init()) throws {
        let barMicros = try Self.barInterval(series)
        let barMinutes = Int(barMicros / 60_000_000)
        guard configuration.horizonMinutes > 0, barMicros % 60_000_000 == 0, configuration.horizonMinutes % barMinutes == 0 else {
            throw ForecastingError.invalidDataset(
                "horizon \(configuration.horizonMinutes)m is not a positive multiple of the \(barMicros / 1_000_000)s bars")
        }
        let names = configuration.featureNames(barMinutes: barMinutes)
        let table = try FeatureTable(series: series, names: names, barMicros: barMicros)
        let target = FeatureTable.logReturns(series, lagMicros: Int64(configuration.horizonMinutes) * 60_000_000, forward: true)
        var rows = [Int]()
        for i in 0..<series.count where target[i].isFinite && table.columns.allSatisfy({ $0[i].isFinite }) {
            rows.append(i)
        }
        guard !rows.isEmpty else {
            throw ForecastingError.invalidDataset(
                "\(series.count) candles give no row with every feature and a \(configuration.horizonMinutes)m target")
        }
        var values = [Double]()
        values.reserveCapacity(rows.count * names.count)
        for i in rows { for column in table.columns { values.append(column[i]) } }
        featureNames = names
        times = rows.map { series.openTime[$0] }
        features = FeatureMatrix(rows: rows.count, columns: names.count, values: values)
        targets = rows.map { target[$0] }
        horizonMinutes = configuration.horizonMinutes
        self.barMicros = barMicros
    }

    /// Feature rows for scoring: for each of the latest candles with every feature defined
    /// (no target needed), its open time and features, in the order of `featureNames`.
    /// - Parameter after: only candles opened strictly after this time (µs).
    static func latestFeatureRows(
        series: CandleSeries, featureNames: [String], after: Int64?, limit: Int
    ) throws -> (times: [Int64], features: FeatureMatrix) {
        let barMicros = try barInterval(series)
        let table = try FeatureTable(series: series, names: featureNames, barMicros: barMicros)
        var rows = [Int]()
        var i = series.count - 1
        while i >= 0, rows.count < limit, after.map({ series.openTime[i] > $0 }) ?? true {
            if table.columns.allSatisfy({ $0[i].isFinite }) { rows.append(i) }
            i -= 1
        }
        rows.reverse()
        var matrix = FeatureMatrix(rows: 0, columns: featureNames.count)
        for r in rows { matrix.append(row: table.columns.map { $0[r] }) }
        return (rows.map { series.openTime[$0] }, matrix)
    }

    /// The bar interval: the smallest gap between consecutive open times (which must ascend).
    static func barInterval(_ series: CandleSeries) throws -> Int64 {
        guard series.count >= 2 else { throw ForecastingError.invalidDataset("\(series.count) candles: need at least 2") }
        var smallest = Int64.max
        for i in 1..<series.count {
            let step = series.openTime[i] - series.openTime[i - 1]
            guard step > 0 else {
                throw ForecastingError.invalidDataset(
                    "candle open times not ascending at row \(i) (\(series.openTime[i - 1]) then \(series.openTime[i]))")
            }
            smallest = min(smallest, step)
        }
        return smallest
    }

    /// `fnv1a64:` of the rows in `range`: each row's time, feature and target bit patterns
    /// (little-endian), after the feature names.
    public func fingerprint(rows range: Range<Int>) -> String {
        var hash = FNV1a64()
        for name in featureNames { hash.add(Array(name.utf8) + [0]) }
        hash.add(UInt64(horizonMinutes))
        for r in range {
            hash.add(UInt64(bitPattern: times[r]))
            for c in 0..<features.columns { hash.add(features[r, c].bitPattern) }
            hash.add(targets[r].bitPattern)
        }
        return hash.text
    }

    /// The rows in `range` as a new dataset.
    public func slice(_ range: Range<Int>) -> Dataset {
        var copy = self
        copy.times = Array(times[range])
        copy.features = features.selecting(rows: range)
        copy.targets = Array(targets[range])
        return copy
    }
}
