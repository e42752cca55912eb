import Forecasting
import Indicators
import MarketAPI
import MarketData
import MarketPipeline

/// Everything the market page of one symbol draws, read once through the market API's reads
/// (``MarketReads``) so the page and the API agree.
struct MarketChartData: Sendable {
    /// One UTC day of the gaps heatmap: the minutes of the range in it and how many are missing.
    struct GapDay: Sendable, Equatable {
        var start: Int64
        var minutes: Int
        var missing: Int
    }

    let symbol: String
    let range: ChartRange
    /// The candles, as `GET …/candles` answers for the range.
    let klines: [Kline]
    /// The stored indicators of the page's interval, one row per candle (`indicators_1m` at `1m`,
    /// `indicators_5m` at `5m`, …); NaN where none is stored (a partial bucket has none).
    let indicators: IndicatorSet
    /// Whether any indicator value was found.
    let hasIndicators: Bool
    /// Predictions made in the range, oldest first (at most ``maximumPredictions``).
    let predictions: [PredictionRecord]
    let gapDays: [GapDay]

    static let maximumPredictions = 10_000

    /// Reads the page's data (synchronously: run it in ``BlockingRead``).
    static func read(_ symbol: String, range: ChartRange, stores: MarketStores) throws -> MarketChartData {
        let klines = try MarketReads.candles(symbol, interval: range.interval, bounds: range.bounds, from: stores.warehouse)
        let (times, set) = try MarketReads.indicators(symbol, interval: range.interval, bounds: range.bounds, from: stores.indicators)
        let indicators = align(times: times, set: set, to: klines.map(\.openTime))
        let predictions = try stores.forecaster.registry.predictions(
            symbol: symbol, from: range.from, to: range.to, limit: maximumPredictions)
        let gaps = try MarketReads.gaps(symbol, bounds: range.bounds, from: stores.warehouse)
        return MarketChartData(
            symbol: symbol, range: range, klines: klines, indicators: indicators,
            hasIndicators: indicators.values.contains { $0.contains { !$0.isNaN } }, predictions: predictions,
            gapDays: days(of: gaps.map { ($0.start, $0.end) }, from: range.from, to: range.to))
    }

    /// The rows of `set` at `times` (ascending), matched to `openTimes` (ascending); NaN rows
    /// where a candle has no stored row.
    static func align(times: [Int64], set: IndicatorSet, to openTimes: [Int64]) -> IndicatorSet {
        if times == openTimes { return set }
        var columns = set.values.map { _ in [Double](repeating: .nan, count: openTimes.count) }
        var row = 0
        for (index, time) in openTimes.enumerated() {
            while row < times.count, times[row] < time { row += 1 }
            guard row < times.count, times[row] == time else { continue }
            for column in columns.indices { columns[column][index] = set.values[column][row] }
        }
        return IndicatorSet(values: columns)
    }

    /// The UTC days overlapping [from, to) with the missing minutes of `gaps` ([start, end) in µs,
    /// as ``KlineGap`` spans them) in each.
    static func days(of gaps: [(start: Int64, end: Int64)], from: Int64, to: Int64) -> [GapDay] {
        let day = UTCCalendar.microsecondsPerDay, minute = BarInterval.oneMinute.microseconds
        var days: [GapDay] = []
        var start = from - ((from % day) + day) % day
        while start < to {
            let lower = max(start, from), upper = min(start + day, to)
            var missing: Int64 = 0
            for gap in gaps where gap.end > lower && gap.start < upper {
                missing += (min(gap.end, upper) - max(gap.start, lower) + minute - 1) / minute
            }
            days.append(GapDay(start: start, minutes: Int((upper - lower + minute - 1) / minute), missing: Int(missing)))
            start += day
        }
        return days
    }
}
