import Forecasting
import Foundation
import Indicators
import MarketAPI
import MarketData
import Testing
import UpdraftAPI

@testable import MarketUI

/// The pieces of the market pages that need no server.
struct MarketUIUnitTests {
    static let hour: Int64 = 3_600_000_000

    @Test func rangeDefaultsAndAlignment() throws {
        let last = UTCCalendar.microseconds(year: 2024, month: 9, day: 21) + 90 * 60_000_000  // 01:30
        let latest = try ChartRange.parse(interval: "1h", from: nil, to: nil, lastOpenTime: last, now: 0)
        #expect(latest.to == UTCCalendar.microseconds(year: 2024, month: 9, day: 21) + 2 * Self.hour)
        #expect(latest.to - latest.from == 200 * Self.hour)
        // Bounds are aligned up to the interval as the candles API aligns them.
        let given = try ChartRange.parse(interval: "1h", from: "1726880400001", to: "2024-09-21T05:30:00Z", lastOpenTime: last, now: 0)
        #expect(given.fromMillis == 1_726_884_000_000)
        #expect(given.toMillis == 1_726_898_400_000)
        // No candles at all: the range ends at now's bucket.
        let empty = try ChartRange.parse(interval: "1m", from: nil, to: nil, lastOpenTime: nil, now: 600_000_000)
        #expect(empty.to == 660_000_000)
        #expect(throws: APIError.self) { try ChartRange.parse(interval: "1w", from: nil, to: nil, lastOpenTime: last, now: 0) }
        #expect(throws: APIError.self) {
            try ChartRange.parse(interval: "1m", from: "2024-01-01", to: "2024-02-01", lastOpenTime: last, now: 0)
        }
    }

    @Test func gapDaysSplitMissingMinutesByUTCDay() {
        let day = UTCCalendar.microsecondsPerDay, minute: Int64 = 60_000_000
        let start = UTCCalendar.microseconds(year: 2024, month: 9, day: 20) + 12 * Self.hour
        // A gap from 23:50 to 00:10 across midnight, and one of 3 minutes the next day.
        let midnight = UTCCalendar.microseconds(year: 2024, month: 9, day: 21)
        let gaps = [
            (start: midnight - 10 * minute, end: midnight + 10 * minute),
            (start: midnight + Self.hour, end: midnight + Self.hour + 3 * minute),
        ]
        let days = MarketChartData.days(of: gaps, from: start, to: start + day)
        #expect(days.map(\.missing) == [10, 13])
        #expect(days.map(\.minutes) == [720, 720])
        #expect(days.first?.start == UTCCalendar.microseconds(year: 2024, month: 9, day: 20))
    }

    @Test func driftIsTheWindowsMSEOverValidationMSE() throws {
        // Errors of 0.01 everywhere: MSE 1e-4; validated at 5e-5, drift 2.
        let scored = (0..<100).map { i in
            PredictionRecord(
                symbol: "X", time: Int64(i) * 60_000_000, horizonMinutes: 1, modelVersion: "m", prediction: 0.01,
                targetTime: Int64(i + 1) * 60_000_000, createdAt: 0, realised: 0, scoredAt: 1)
        }
        let drift = DriftSeries(scored: scored, validationMSE: 5e-5)
        #expect(drift.window == 60)
        #expect(drift.points.count == 41)
        #expect(drift.points.allSatisfy { abs($0.ratio - 2) < 1e-9 })
        let newest = try #require(drift.points.last)
        #expect(newest.time == 6_000_000_000)
        #expect(DriftSeries(scored: [], validationMSE: 1).points.isEmpty)
        #expect(DriftSeries(scored: Array(scored.prefix(5)), validationMSE: 5e-5).points.count == 1)
    }

    @Test func indicatorRowsAlignToCandlesWithNaNForMissingRows() {
        let columns = IndicatorSet.columns.indices.map { column in [Double(column), Double(column) + 0.5] }
        let set = IndicatorSet(values: columns)
        let aligned = MarketChartData.align(times: [10, 30], set: set, to: [10, 20, 30])
        #expect(aligned.column("sma20")[0] == 0)
        #expect(aligned.column("sma20")[1].isNaN)
        #expect(aligned.column("sma20")[2] == 0.5)
    }

    @Test func svgPathBreaksAtMissingValues() {
        var path = SVGPath()
        path.point(1, 2); path.point(3, .nan); path.point(5.123, 6); path.point(7, 8)
        #expect(path.text == "M1 2M5.12 6L7 8")
    }

    @Test func aRowOfTheGapsHeatmapFitsThePlot() {
        let last = PlotArea.left + Double(GapHeatmap.perRow - 1) * (GapHeatmap.cell + GapHeatmap.gap) + GapHeatmap.cell
        #expect(last <= PlotArea.width - PlotArea.right)
        #expect(last + GapHeatmap.gap + GapHeatmap.cell > PlotArea.width - PlotArea.right)
    }
}
