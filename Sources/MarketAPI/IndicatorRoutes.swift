import HTTPTypes
import Indicators
import MarketData
import MarketPipeline
import UpdraftAPI
import UpdraftCore
import UpdraftStore

/// `/api/market/v1/symbols/{symbol}/indicators`: the rows the `indicators` DAG stored for a
/// symbol in [from, to) at an interval: one per 1-minute candle at `1m`, one per complete bucket of
/// a resampled interval of `data.intervals` (computed over that interval's candles, not sampled
/// from the minutes).
enum IndicatorRoutes {
    static let intervals = MarketReads.candleIntervals

    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, SymbolRoutes.base + "/{symbol}/indicators", id: "market_get_indicators", tag: MarketRoutes.tag,
                summary: "Get a symbol's stored indicator rows", role: .viewer,
                query: [
                    .init(
                        "interval", .choice(intervals),
                        "Indicator interval: 1m, or one of data.intervals (complete buckets only).", default: "1m")
                ]
                    + TimeBounds.parameters,
                responses: [
                    .ok("MarketIndicatorsResponse"),
                    .init(400, "More than \(MarketRoutes.maximumRows) rows in the range", schema: "HTTPExceptionResponse"),
                ]
            ) { request in
                let stores = try request.marketStores()
                let intervalName = request.string("interval") ?? "1m"
                let interval = try BarInterval(intervalName)
                let bounds = try TimeBounds.parse(request)
                return try await BlockingRead.run {
                    let symbol = try request.knownSymbol(in: stores)
                    let (times, set) = try MarketReads.indicators(symbol, interval: interval, bounds: bounds, from: stores.indicators)
                    let columns = IndicatorSet.columns
                    return .json(capacity: 400 * times.count + 128) { json in
                        json.object { o in
                            o.field("symbol", symbol)
                            o.field("interval", intervalName)
                            o.field("indicators") { json in
                                json.array(times.indices) { json, row in
                                    json.object { o in
                                        o.field("open_time", UTCCalendar.iso8601(microseconds: times[row]))
                                        for (column, name) in columns.enumerated() {
                                            let value = set.values[column][row]
                                            o.field(name, value.isNaN ? nil : value)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        ]
    }
}
