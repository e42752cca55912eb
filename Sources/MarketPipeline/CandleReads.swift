import Foundation
import MarketData
import UpdraftConfig

/// The candles the `training` and `scoring` DAGs read for one symbol at one interval: at `1m`,
/// `tickerdata_1m` with the forward-filled minutes merged in when `data.forward_fill` is on; at a
/// resampled interval, `tickerdata_<interval>`'s complete buckets (those before the partial one),
/// the same candles the `indicators` DAG computes `indicators_<interval>` over.
///
/// ```swift
/// let series = try CandleReads.closed("BTCUSDT", interval: .fiveMinutes, from: start, to: end, stores: stores, configuration: configuration)
/// ```
public enum CandleReads {
    /// The candles of `symbol` at `interval` opening in [from, to) (µs), oldest first.
    public static func closed(
        _ symbol: String, interval: KlineInterval, from: Int64, to: Int64, stores: MarketStores,
        configuration: UpdraftConfiguration
    ) throws -> CandleSeries {
        let warehouse = stores.warehouse
        if interval == .oneMinute {
            if configuration[.dataForwardFill] {
                return try warehouse.candlesIncludingFilled(symbol: symbol, from: from, to: to)
            }
            return try warehouse.candles(symbol: symbol, from: from, to: to)
        }
        var end = to
        if let partial = try warehouse.partialBuckets(symbol: symbol, interval: interval).first { end = min(end, partial) }
        return try warehouse.candles(symbol: symbol, interval: interval, from: from, to: end)
    }
}
