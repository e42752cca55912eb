import HTTPTypes
import Indicators
import MarketData
import MarketPipeline
import UpdraftAPI
import UpdraftCore
import UpdraftStore

/// `/api/market/v1/symbols/{symbol}/candles`: a symbol's candles in [from, to) as JSON or as
/// Binance's 12-column CSV (no header, as the archive's files; ms before 2025, µs after). Every
/// interval is served as stored: `1m`, and the others from the tables the pipeline resamples for
/// `data.intervals` (`tickerdata_5m`, …), where JSON marks the partial bucket (`partial`); `from`/`to`
/// bound the open times of those candles.
enum CandleRoutes {
    /// The intervals served (``MarketReads/candleIntervals``).
    static let intervals = MarketReads.candleIntervals

    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, SymbolRoutes.base + "/{symbol}/candles", id: "market_get_candles", tag: MarketRoutes.tag,
                summary: "Get a symbol's candles (JSON, or Binance's CSV with format=csv or Accept: text/csv)", role: .viewer,
                query: [
                    .init(
                        "interval", .choice(intervals),
                        "Candle interval; other than 1m, one of data.intervals, read from its resampled table.", default: "1m")
                ] + TimeBounds.parameters + [
                    .init("format", .choice(["json", "csv"]), "Answer format; without it, `Accept: text/csv` asks for CSV.")
                ],
                responses: [
                    .ok("MarketCandlesResponse"),
                    .init(200, "Binance's 12 kline columns, no header", contentType: "text/csv"),
                    .init(
                        400, "More than \(MarketRoutes.maximumRows) candles in the range, or an interval not kept (not in data.intervals)",
                        schema: "HTTPExceptionResponse"),
                ]
            ) { request in
                let stores = try request.marketStores()
                let intervalName = request.string("interval") ?? "1m"
                let interval = try BarInterval(intervalName)
                let bounds = try TimeBounds.parse(request).alignedUp(to: interval.microseconds)
                let csv =
                    request.string("format").map { $0 == "csv" } ?? (request.headers[.accept]?.lowercased().contains("text/csv") ?? false)
                return try await BlockingRead.run {
                    let symbol = try request.knownSymbol(in: stores)
                    let klines = try MarketReads.candles(symbol, interval: interval, bounds: bounds, from: stores.warehouse)
                    if csv { return .bytes(.ok, KlineCSV.format(klines), contentType: "text/csv") }
                    let partial = try MarketReads.partialOpenTimes(symbol, interval: interval, from: stores.warehouse)
                    return .json(capacity: 360 * klines.count + 128) { json in
                        json.object { o in
                            o.field("symbol", symbol)
                            o.field("interval", intervalName)
                            o.field("candles") { json in
                                json.array(klines) { json, kline in
                                    write(kline, partial: partial.contains(kline.openTime), to: &json)
                                }
                            }
                        }
                    }
                }
            }
        ]
    }

    /// One candle object: times ISO 8601, prices and volumes exact decimal strings; `partial` for
    /// a resampled bucket whose closing minute has not arrived (it is replaced once complete).
    static func write(_ kline: Kline, partial: Bool, to json: inout JSONWriter) {
        json.object { o in
            o.field("open_time", UTCCalendar.iso8601(microseconds: kline.openTime))
            o.field("open", kline.open.description)
            o.field("high", kline.high.description)
            o.field("low", kline.low.description)
            o.field("close", kline.close.description)
            o.field("volume", kline.volume.description)
            o.field("close_time", UTCCalendar.iso8601(microseconds: kline.closeTime))
            o.field("quote_volume", kline.quoteVolume.description)
            o.field("trades", kline.trades)
            o.field("taker_buy_base_volume", kline.takerBuyBaseVolume.description)
            o.field("taker_buy_quote_volume", kline.takerBuyQuoteVolume.description)
            o.field("partial", partial)
        }
    }
}
