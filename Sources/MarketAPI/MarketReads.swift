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
    /// caller): `1m` as stored, coarser ones built exactly from the minutes (``KlineBuckets``);
    /// a 400 past ``MarketRoutes/maximumRows``.
    public static func candles(
        _ symbol: String, interval: BarInterval, bounds: TimeBounds, from warehouse: KlineWarehouse
    ) throws -> [Kline] {
        let limit = MarketRoutes.maximumRows
        func tooMany() -> APIError {
            APIError.badRequest(
                "The range holds more than \(limit) \(interval) candles of \(symbol), the most one answer gives: narrow it with from/to")
        }
        if interval == .oneMinute {
            var klines: [Kline] = []
            try warehouse.forEachKline(symbol: symbol, from: bounds.from, to: bounds.to) { kline in
                guard klines.count < limit else { throw tooMany() }
                klines.append(kline)
            }
            return klines
        }
        var buckets = KlineBuckets(interval: interval)
        try warehouse.forEachKline(symbol: symbol, from: bounds.from, to: bounds.to) { kline in
            buckets.add(kline)
            guard buckets.klines.count <= limit else { throw tooMany() }
        }
        return buckets.klines
    }

    /// The stored 1-minute indicator rows of `symbol` in `bounds`, oldest first; a 400 past
    /// ``MarketRoutes/maximumRows``.
    public static func indicators(
        _ symbol: String, bounds: TimeBounds, from store: IndicatorStore
    ) throws -> (openTimes: [Int64], set: IndicatorSet) {
        let limit = MarketRoutes.maximumRows
        let (times, set) = try store.outputs(symbol: symbol, from: bounds.from ?? .min, to: bounds.to ?? .max, limit: limit + 1)
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
