import Foundation
import Hummingbird
import HummingbirdCore
import MarketData

/// Poloniex's public REST (`/markets`, `/markets/{symbol}/candles`) over the synthetic market: bare
/// arrays, refusals as `{"code":…,"message":"…"}` with HTTP 400, candles oldest first from
/// `startTime` (ms), `limit` 100 by default and at most 500.
extension SandboxServer {
    static let poloniexIntervals: [String: Int64] = [
        "MINUTE_1": 1, "MINUTE_5": 5, "MINUTE_10": 10, "MINUTE_15": 15, "MINUTE_30": 30, "HOUR_1": 60, "HOUR_2": 120,
        "HOUR_4": 240, "HOUR_6": 360, "HOUR_12": 720, "DAY_1": 1_440, "DAY_3": 4_320, "WEEK_1": 10_080,
    ]

    func poloniexMarkets() -> SandboxReply {
        if let refusal = charge(.poloniex, weight: 1).refusal { return refusal }
        let start = Int64(configuration.historyStart.timeIntervalSince1970 * 1000)
        let entries = listings(.poloniex).map { listing in
            """
            {"symbol":\(jsonString(listing.native)),"baseCurrencyName":\(jsonString(listing.pair.base)),"quoteCurrencyName":"USDT",\
            "displayName":\(jsonString(listing.displayName)),"state":"NORMAL","visibleStartTime":\(start),"tradableStartTime":\(start),\
            "symbolTradeLimit":{"symbol":\(jsonString(listing.native)),"priceScale":8,"quantityScale":8,"amountScale":8,\
            "minQuantity":"0.00000001","minAmount":"1","highestBid":"0","lowestAsk":"0"},\
            "crossMargin":{"supportCrossMargin":false,"maxLeverage":1}}
            """
        }
        return .json("[\(entries.joined(separator: ","))]")
    }

    func poloniexCandles(symbol: String, _ query: FlatDictionary<Substring, Substring>) -> SandboxReply {
        if let refusal = charge(.poloniex, weight: 1).refusal { return refusal }
        guard let listing = listing(.poloniex, named: symbol) else { return Self.poloniexError(21711, "Invalid symbol!") }
        guard let name = query["interval"].map(String.init), let minutes = Self.poloniexIntervals[name] else {
            return Self.poloniexError(400, "Invalid interval!")
        }
        var limit = 100
        if let text = query["limit"] {
            guard let value = Int(text), (1...PoloniexClient.limits.recordsPerRequest).contains(value) else {
                return Self.poloniexError(400, "Invalid limit!")
            }
            limit = value
        }
        let nowMilliseconds = Int64(now.timeIntervalSince1970 * 1000)
        guard let startTime = Int64(query["startTime"] ?? "0"), let endTime = Int64(query["endTime"] ?? "\(nowMilliseconds)") else {
            return Self.poloniexError(400, "Invalid startTime or endTime!")
        }
        let step = minutes * 60_000
        let bars = market.bars(
            of: listing.coin, intervalMilliseconds: step, start: startTime, end: min(endTime, nowMilliseconds), limit: limit)
        let stamp = nowMilliseconds
        let rows = bars.map { bar -> String in
            let average = bar.volume > 0 ? Int64((Double(bar.quoteVolume) / Double(bar.volume) * 1e8).rounded()) : bar.close
            let values: [Int64] = [
                bar.low, bar.high, bar.open, bar.close, bar.quoteVolume, bar.volume, bar.takerBuyQuoteVolume, bar.takerBuyBaseVolume,
            ]
            let decimals = values.map { "\"" + decimalText($0) + "\"" }.joined(separator: ",")
            let tail: String = "\(bar.trades),\(stamp),\"\(decimalText(average))\",\"\(name)\",\(bar.openTime),\(bar.openTime + step - 1)"
            return "[" + decimals + "," + tail + "]"
        }
        return .json("[\(rows.joined(separator: ","))]")
    }

    static func poloniexError(_ code: Int, _ message: String) -> SandboxReply {
        .json("{\"code\":\(code),\"message\":\(jsonString(message))}", status: .badRequest)
    }
}
