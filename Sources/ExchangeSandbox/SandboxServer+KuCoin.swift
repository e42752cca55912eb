import Foundation
import Hummingbird
import HummingbirdCore
import MarketData

/// KuCoin's public REST (`/api/v2/symbols`, `/api/v1/market/candles`) over the synthetic market:
/// `{"code":"200000","data":…}`, refusals as `{"code":"400100","msg":"…"}`, candles newest first,
/// at most 1,500 (the newest of the range), `startAt`/`endAt` in seconds, and the public pool's
/// weight in the `gw-ratelimit-*` headers.
extension SandboxServer {
    static let kucoinCandleTypes: [String: Int64] = [
        "1min": 1, "3min": 3, "5min": 5, "15min": 15, "30min": 30, "1hour": 60, "2hour": 120, "4hour": 240,
        "6hour": 360, "8hour": 480, "12hour": 720, "1day": 1_440, "1week": 10_080,
    ]

    func kucoinSymbols() -> SandboxReply {
        let charge = charge(.kucoin, weight: 4)
        if let refusal = charge.refusal { return refusal }
        let entries = listings(.kucoin).map { listing in
            """
            {"symbol":\(jsonString(listing.native)),"name":\(jsonString(listing.native)),"baseCurrency":\(jsonString(listing.pair.base)),\
            "quoteCurrency":"USDT","feeCurrency":"USDT","market":"USDS","baseMinSize":"0.0001","quoteMinSize":"0.1",\
            "baseMaxSize":"10000000000","quoteMaxSize":"99999999","baseIncrement":"0.00000001","quoteIncrement":"0.000001",\
            "priceIncrement":"0.00000001","priceLimitRate":"0.1","minFunds":"0.1","isMarginEnabled":false,"enableTrading":true}
            """
        }
        return kucoinReply("{\"code\":\"200000\",\"data\":[\(entries.joined(separator: ","))]}", charge: charge)
    }

    func kucoinCandles(_ query: FlatDictionary<Substring, Substring>) -> SandboxReply {
        let charge = charge(.kucoin, weight: KuCoinClient.limits.requestWeight)
        if let refusal = charge.refusal { return refusal }
        guard let name = query["symbol"].map(String.init), !name.isEmpty else {
            return Self.kucoinError("400100", "symbol is empty")
        }
        guard let typeName = query["type"].map(String.init), let minutes = Self.kucoinCandleTypes[typeName] else {
            return Self.kucoinError("400100", "type invalid")
        }
        guard let listing = listing(.kucoin, named: name) else {
            return Self.kucoinError("400100", "This pair is not provided at present")
        }
        guard let startAt = Int64(query["startAt"] ?? "0"), let endAt = Int64(query["endAt"] ?? "0") else {
            return Self.kucoinError("400100", "startAt or endAt invalid")
        }
        let step = minutes * 60_000
        let nowMilliseconds = Int64(now.timeIntervalSince1970 * 1000)
        let upper = min(endAt == 0 ? nowMilliseconds : endAt * 1000 - 1, nowMilliseconds)
        let limit = KuCoinClient.limits.recordsPerRequest
        let lower = max(startAt * 1000, upper / step * step - Int64(limit - 1) * step)
        let bars = market.bars(of: listing.coin, intervalMilliseconds: step, start: lower, end: upper, limit: limit)
        let rows = bars.reversed().map { bar in
            let values: [Int64] = [bar.open, bar.close, bar.high, bar.low, bar.volume, bar.quoteVolume]
            return "[\"\(bar.openTime / 1000)\"," + values.map { "\"" + decimalText($0) + "\"" }.joined(separator: ",") + "]"
        }
        return kucoinReply("{\"code\":\"200000\",\"data\":[\(rows.joined(separator: ","))]}", charge: charge)
    }

    private func kucoinReply(_ text: String, charge: (refusal: SandboxReply?, remaining: Int, reset: Int64)) -> SandboxReply {
        let budget = configuration.exchangeBudgets[.kucoin] ?? SandboxExchangeBudget.documented[.kucoin]!
        return .json(
            text,
            headers: [
                ("gw-ratelimit-limit", String(budget.capacity)), ("gw-ratelimit-remaining", String(charge.remaining)),
                ("gw-ratelimit-reset", String(charge.reset)),
            ])
    }

    static func kucoinError(_ code: String, _ message: String) -> SandboxReply {
        .json("{\"code\":\(jsonString(code)),\"msg\":\(jsonString(message))}")
    }
}
