import Indicators
import MarketAPI
import UpdraftAPI

/// The interval and range of a symbol's market page, from its query (`interval`, `from`, `to`)
/// with defaults: the last ``defaultBars`` candles up to the newest one stored. `from`/`to`
/// take the market API's forms (epoch ms or ISO 8601) and are aligned up to the interval as the
/// API aligns them, so the candles drawn are what `GET …/candles?interval=I&from=F&to=T` answers
/// with the page's ``fromMillis`` and ``toMillis``.
struct ChartRange: Sendable, Equatable {
    static let defaultInterval = "1m"
    static let defaultBars: Int64 = 200
    /// The most candles one chart draws.
    static let maximumBars: Int64 = 5_000

    let intervalName: String
    let interval: BarInterval
    /// Start (inclusive) and end (exclusive), µs, on the interval's grid.
    let from: Int64
    let to: Int64

    var bounds: TimeBounds { TimeBounds(from: from, to: to) }
    var fromMillis: Int64 { from / 1000 }
    var toMillis: Int64 { to / 1000 }

    /// The range of the query texts; `lastOpenTime` (µs) of the symbol's newest minute, or `now`
    /// when it has none, ends the default range. A 400 for an unknown interval or a range of more
    /// than ``maximumBars`` candles; a 422 (the API's) for unreadable bounds.
    static func parse(interval text: String?, from: String?, to: String?, lastOpenTime: Int64?, now: Int64) throws -> ChartRange {
        let name = text ?? defaultInterval
        guard MarketReads.candleIntervals.contains(name), let interval = try? BarInterval(name) else {
            throw APIError.badRequest(
                "Unknown interval `\(name)`: choose one of \(MarketReads.candleIntervals.joined(separator: ", "))")
        }
        let step = interval.microseconds
        let given = try TimeBounds.parse(from: from, to: to).alignedUp(to: step)
        let end = interval.bucketStart(containing: lastOpenTime ?? now) + step
        var start: Int64, stop: Int64
        switch (given.from, given.to) {
        case (let a?, let b?): (start, stop) = (a, b)
        case (let a?, nil): (start, stop) = (a, a + defaultBars * step)
        case (nil, let b?): (start, stop) = (b - defaultBars * step, b)
        case (nil, nil): (start, stop) = (end - defaultBars * step, end)
        }
        if stop <= start { stop = start + step }
        let bars = (stop - start) / step
        guard bars <= maximumBars else {
            throw APIError.badRequest(
                "The range holds \(bars) \(name) candles; a chart draws at most \(maximumBars): choose a coarser interval or a shorter range"
            )
        }
        return ChartRange(intervalName: name, interval: interval, from: start, to: stop)
    }
}
