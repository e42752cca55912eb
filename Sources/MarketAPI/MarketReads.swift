import Indicators
import MarketData
import MarketPipeline
import UpdraftAPI

/// The market API's reads, shared with the market pages so that a chart draws exactly what the
/// API answers for the same symbol, interval and range. Each runs synchronously: call it inside
/// ``BlockingRead/run(_:)``. Errors are ``APIError``s (404 for an unknown symbol, 400 for a range
/// holding more than ``MarketRoutes/maximumRows`` rows).
///
/// ```swift
/// let symbol = try MarketReads.knownSymbol("btcusdt", in: stores)
/// let bounds = try TimeBounds.parse(from: "2024-09-21", to: "2024-09-22").alignedUp(to: interval.microseconds)
/// let klines = try MarketReads.candles(symbol, interval: interval, bounds: bounds, from: stores.warehouse)
/// ```
public enum MarketReads {
    /// The candle intervals served: Binance's fixed ones from a minute to a day (`1s` is finer
    /// than the warehouse; `3d`, `1w` and `1mo` open on Binance's own calendar grid, not the epoch's).
    public static let candleIntervals = ["1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d"]

    /// `text` upper-cased as Binance spells pairs; 404 naming it when the warehouse has no
    /// candles for it and no coin maps to it.
    public static func knownSymbol(_ text: String, in stores: MarketStores) throws -> String {
        let symbol = text.uppercased()
        guard try SymbolOverview.exists(symbol, in: stores.warehouse) else {
            throw APIError.notFound("Symbol `\(symbol)` was not found: the warehouse has no candles for it and no coin maps to it")
        }
        return symbol
    }

    /// The candles of `symbol` at `interval` in `bounds` (aligned up to the interval by the
    /// caller), as stored: `tickerdata_1m`, or the table the pipeline resamples for each interval
    /// of `data.intervals` (`tickerdata_5m`, …; its newest bucket may be partial, see
    /// ``partialOpenTimes(_:interval:from:)``). A 400 past ``MarketRoutes/maximumRows``, and for a
    /// coarser interval of which nothing is kept for a symbol that has minutes (not in
    /// `data.intervals`, or not resampled yet).
    public static func candles(
        _ symbol: String, interval: BarInterval, bounds: TimeBounds, from warehouse: KlineWarehouse
    ) throws -> [Kline] {
        let limit = MarketRoutes.maximumRows
        let stored = try storedInterval(interval)
        var klines: [Kline] = []
        try warehouse.forEachKline(symbol: symbol, interval: stored, from: bounds.from, to: bounds.to) { kline in
            guard klines.count < limit else {
                throw APIError.badRequest(
                    "The range holds more than \(limit) \(interval) candles of \(symbol), the most one answer gives: narrow it with from/to"
                )
            }
            klines.append(kline)
        }
        if klines.isEmpty, stored != .oneMinute, try !warehouse.hasKlines(symbol: symbol, interval: stored),
            try warehouse.hasKlines(symbol: symbol, interval: .oneMinute)
        {
            throw APIError.badRequest(
                "No \(stored.rawValue) candles are kept for \(symbol): add \(stored.rawValue) to data.intervals "
                    + "(the pipeline resamples the 1-minute candles into one table per interval), or wait for its next run")
        }
        return klines
    }

    /// Open times (µs) of the partial buckets (at most one: the newest, whose closing minute has
    /// not arrived) of `symbol` at `interval` from `from` on.
    public static func partialOpenTimes(_ symbol: String, interval: BarInterval, from warehouse: KlineWarehouse) throws -> Set<Int64> {
        let stored = try storedInterval(interval)
        guard stored != .oneMinute else { return [] }
        return Set(try warehouse.partialBuckets(symbol: symbol, interval: stored))
    }

    /// The warehouse's interval of a served one.
    static func storedInterval(_ interval: BarInterval) throws -> KlineInterval {
        guard let stored = KlineInterval(name: interval.description), candleIntervals.contains(stored.rawValue) else {
            throw APIError.badRequest("Unknown interval `\(interval)`: choose one of \(candleIntervals.joined(separator: ", "))")
        }
        return stored
    }

    /// The stored indicator rows of `symbol` at `interval` in `bounds`, oldest first; a 400 past
    /// ``MarketRoutes/maximumRows``.
    public static func indicators(
        _ symbol: String, interval: BarInterval = .oneMinute, bounds: TimeBounds, from store: IndicatorStore
    ) throws -> (openTimes: [Int64], set: IndicatorSet) {
        let limit = MarketRoutes.maximumRows
        let (times, set) = try store.outputs(
            symbol: symbol, interval: try storedInterval(interval), from: bounds.from ?? .min, to: bounds.to ?? .max,
            limit: limit + 1)
        guard times.count <= limit else {
            throw APIError.badRequest(
                "The range holds more than \(limit) indicator rows of \(symbol), the most one answer gives: narrow it with from/to")
        }
        return (times, set)
    }

    /// The gaps in `symbol`'s 1-minute candles in `bounds` (aligned up to the minute by the caller).
    public static func gaps(_ symbol: String, bounds: TimeBounds, from warehouse: KlineWarehouse) throws -> [KlineGap] {
        try warehouse.gaps(symbol: symbol, from: bounds.from, to: bounds.to)
    }
}
