import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore

extension SandboxServer {
    /// Charges Binance request weight, answering 429/418 as Binance does when over the limit, and
    /// adds `X-MBX-USED-WEIGHT-1M` to whatever the handler replies.
    func binanceWeighted(weight: Int, _ handler: () -> SandboxReply) -> SandboxReply {
        switch weights.charge(weight, at: configuration.weightClock()) {
        case .allowed(let used):
            var reply = handler()
            reply.headers.append(("X-MBX-USED-WEIGHT-1M", String(used)))
            return reply
        case .limited(let used, let retryAfter):
            return .binanceError(
                -1003,
                "Too much request weight used; current limit is \(configuration.binanceWeightLimit) request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.",
                status: .tooManyRequests,
                headers: [("Retry-After", String(retryAfter)), ("X-MBX-USED-WEIGHT-1M", String(used))])
        case .banned(let until, let retryAfter):
            return .binanceError(
                -1003,
                "Way too much request weight used; IP banned until \(Int64(until.timeIntervalSince1970 * 1000)). Please use WebSocket Streams for live updates to avoid bans.",
                status: HTTPResponse.Status(code: 418), headers: [("Retry-After", String(retryAfter))])
        }
    }

    /// `GET /api/v3/klines`: `symbol`, `interval`, optional `startTime`/`endTime` (ms, or µs when
    /// ≥ 10^15), `limit` (default 500, at most 1000). Times in the reply are ms unless the request
    /// sent `X-MBX-TIME-UNIT: MICROSECOND`.
    func klines(_ query: FlatDictionary<Substring, Substring>, microseconds: Bool) -> SandboxReply {
        guard let symbol = query["symbol"].map(String.init), !symbol.isEmpty else {
            return .binanceError(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.")
        }
        guard let intervalName = query["interval"].map(String.init), !intervalName.isEmpty else {
            return .binanceError(-1102, "Mandatory parameter 'interval' was not sent, was empty/null, or malformed.")
        }
        let coin = market.coins.first(where: { $0.pairSymbol == symbol && $0.usdtPair != .none })
        let cross = coin == nil ? SandboxCrossPair.binance(symbol, in: market) : nil
        guard coin != nil || cross != nil else {
            return .binanceError(-1121, "Invalid symbol.")
        }
        guard let interval = KlineIntervalSpec.milliseconds(intervalName) else {
            return .binanceError(-1120, "Invalid interval.")
        }
        var limit = 500
        if let text = query["limit"] {
            guard let value = Int(text), (1...1000).contains(value) else {
                return .binanceError(-1130, "Data sent for parameter 'limit' is not valid.")
            }
            limit = value
        }
        func milliseconds(_ name: String) -> Int64?? {
            guard let text = query[Substring(name)] else { return .some(nil) }
            guard let value = Int64(text) else { return nil }
            return .some(value >= 1_000_000_000_000_000 ? value / 1000 : value)
        }
        guard let start = milliseconds("startTime"), let end = milliseconds("endTime") else {
            return .binanceError(-1100, "Illegal characters found in a parameter.")
        }
        if coin?.usdtPair == .delisted { return .json("[]") }
        let nowMilliseconds = Int64(now.timeIntervalSince1970 * 1000)
        let upper = min(end ?? nowMilliseconds, nowMilliseconds)
        let from = start ?? (upper / interval * interval - Int64(limit - 1) * interval)
        var bars: [SyntheticBar]
        if let coin {
            bars = market.bars(of: coin, intervalMilliseconds: interval, start: from, end: upper, limit: limit)
        } else {
            bars = cross!.bars(in: market, intervalMilliseconds: interval, start: from, end: upper, limit: limit)
        }
        // Minutes the real fixture files cover are served from them, as the archive serves them.
        let real = archive.fixtureBars(symbol: symbol, interval: intervalName).filter { $0.openTime >= from && $0.openTime <= upper }
        if !real.isEmpty {
            let taken = Set(real.map(\.openTime))
            bars = (bars.filter { !taken.contains($0.openTime) } + real).sorted { $0.openTime < $1.openTime }
            bars = Array(start == nil ? bars.suffix(limit) : bars.prefix(limit))
        }
        var text = "["
        text.reserveCapacity(bars.count * 170 + 2)
        for (index, bar) in bars.enumerated() {
            if index > 0 { text += "," }
            let open = microseconds ? bar.openTime * 1000 : bar.openTime
            let close = microseconds ? bar.closeTime * 1000 + 999 : bar.closeTime
            text += "[\(open),\"\(decimalText(bar.open))\",\"\(decimalText(bar.high))\",\"\(decimalText(bar.low))\","
            text += "\"\(decimalText(bar.close))\",\"\(decimalText(bar.volume))\",\(close),"
            text += "\"\(decimalText(bar.quoteVolume))\",\(bar.trades),\"\(decimalText(bar.takerBuyBaseVolume))\","
            text += "\"\(decimalText(bar.takerBuyQuoteVolume))\",\"0\"]"
        }
        return .json(text + "]")
    }
}
