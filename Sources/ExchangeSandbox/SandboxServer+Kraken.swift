import Foundation
import Hummingbird
import HummingbirdCore
import MarketData

/// Kraken's public REST (`/0/public/AssetPairs`, `OHLC`, `Trades`) over the synthetic market:
/// `{"error":[…],"result":{…}}` with refusals in `error` (HTTP 200), OHLC limited to the latest 720
/// candles whatever `since` says, trades paged 1,000 at a time by a nanosecond cursor.
///
/// Each synthetic minute trades four times, at :00, :15, :30 and :45 seconds, at its open, high,
/// low and close, its volume split evenly (the last print takes the remainder), so trades aggregated
/// to a minute give back the minute's open, high, low, close and volume.
extension SandboxServer {
    static let krakenTradesPerMinute = 4

    func krakenAssetPairs() -> SandboxReply {
        if let refusal = charge(.kraken, weight: 1).refusal { return refusal }
        let entries = listings(.kraken).map { listing -> String in
            let parts = listing.displayName.split(separator: "/")
            let base = listing.native.hasPrefix("X") && listing.native.hasSuffix("ZUSD") ? "X" + parts[0] : String(parts[0])
            let quote = listing.native.hasSuffix("ZUSD") ? "ZUSD" : String(parts[1])
            return """
                \(jsonString(listing.native)):{"altname":\(jsonString(parts.joined())),"wsname":\(jsonString(listing.displayName)),\
                "aclass_base":"currency","base":\(jsonString(base)),"aclass_quote":"currency","quote":\(jsonString(quote)),\
                "lot":"unit","cost_decimals":8,"pair_decimals":8,"lot_decimals":8,"lot_multiplier":1,"leverage_buy":[],\
                "leverage_sell":[],"fees":[[0,0.26]],"fees_maker":[[0,0.16]],"fee_volume_currency":"ZUSD","margin_call":80,\
                "margin_stop":40,"ordermin":"0.0001","costmin":"0.5","tick_size":"0.00000001","status":"online"}
                """
        }
        return .json("{\"error\":[],\"result\":{\(entries.joined(separator: ","))}}")
    }

    func krakenOHLC(_ query: FlatDictionary<Substring, Substring>) -> SandboxReply {
        if let refusal = charge(.kraken, weight: 1).refusal { return refusal }
        guard let name = query["pair"].map(String.init), !name.isEmpty else { return Self.krakenError("EGeneral:Invalid arguments") }
        guard let listing = listing(.kraken, named: name) else { return Self.krakenError("EQuery:Unknown asset pair") }
        let minutes = query["interval"].map { Int64($0) } ?? 1
        guard let minutes, [1, 5, 15, 30, 60, 240, 1440, 10080, 21600].contains(minutes) else {
            return Self.krakenError("EGeneral:Invalid arguments")
        }
        let step = minutes * 60_000
        let nowMilliseconds = Int64(now.timeIntervalSince1970 * 1000)
        let current = nowMilliseconds / step * step
        let first = current - Int64(KrakenClient.ohlcDepth - 1) * step
        var bars = market.bars(of: listing.coin, intervalMilliseconds: step, start: first, end: current, limit: KrakenClient.ohlcDepth)
        if let since = query["since"].flatMap({ Int64($0) }) { bars = bars.filter { $0.openTime / 1000 > since } }
        let rows = bars.map { bar -> String in
            let vwap = bar.volume > 0 ? Int64((Double(bar.quoteVolume) / Double(bar.volume) * 1e8).rounded()) : bar.close
            let prices: [String] = [bar.open, bar.high, bar.low, bar.close, vwap, bar.volume].map { "\"" + decimalText($0) + "\"" }
            return "[\(bar.openTime / 1000)," + prices.joined(separator: ",") + ",\(bar.trades)]"
        }
        let last = (current - step) / 1000
        return .json("{\"error\":[],\"result\":{\(jsonString(listing.native)):[\(rows.joined(separator: ","))],\"last\":\(last)}}")
    }

    func krakenTrades(_ query: FlatDictionary<Substring, Substring>) -> SandboxReply {
        if let refusal = charge(.kraken, weight: 1).refusal { return refusal }
        guard let name = query["pair"].map(String.init), !name.isEmpty else { return Self.krakenError("EGeneral:Invalid arguments") }
        guard let listing = listing(.kraken, named: name) else { return Self.krakenError("EQuery:Unknown asset pair") }
        var count = 1_000
        if let text = query["count"] {
            guard let value = Int(text), (1...1_000).contains(value) else { return Self.krakenError("EGeneral:Invalid arguments") }
            count = value
        }
        let nowNanoseconds = Int64(now.timeIntervalSince1970 * 1_000_000) * 1_000
        // `since` in nanoseconds, or in seconds when small (as Kraken accepts both).
        var since = query["since"].flatMap { Int64($0) } ?? (nowNanoseconds - 86_400 * 1_000_000_000)
        if since < 10_000_000_000 { since *= 1_000_000_000 }
        var rows: [String] = []
        var last = since
        var minute = max(0, since / 60_000_000_000) * 60_000
        let listingStart = Int64(market.listingDay(of: listing.coin)) * SyntheticMarket.millisecondsPerDay
        minute = max(minute, listingStart)
        while rows.count < count, minute * 1_000_000 <= nowNanoseconds {
            let dayEnd = (minute / SyntheticMarket.millisecondsPerDay + 1) * SyntheticMarket.millisecondsPerDay
            let bars = market.bars(of: listing.coin, intervalMilliseconds: 60_000, start: minute, end: dayEnd - 1, limit: 1_440)
            if bars.isEmpty { minute = dayEnd; continue }
            for bar in bars {
                for (index, print) in Self.krakenPrints(bar).enumerated() {
                    let time = bar.openTime * 1_000_000 + Int64(index) * 15_000_000_000
                    guard time > since, time <= nowNanoseconds, rows.count < count else { continue }
                    let id = bar.openTime / 60_000 * Int64(Self.krakenTradesPerMinute) + Int64(index)
                    let seconds = "\(time / 1_000_000_000).\(String(format: "%04d", time % 1_000_000_000 / 100_000))"
                    rows.append(
                        "[\"\(decimalText(print.price))\",\"\(decimalText(print.quantity))\",\(seconds),\"\(index % 2 == 0 ? "b" : "s")\",\"l\",\"\",\(id)]"
                    )
                    last = time
                }
                if rows.count >= count { break }
            }
            minute = dayEnd
        }
        return .json("{\"error\":[],\"result\":{\(jsonString(listing.native)):[\(rows.joined(separator: ","))],\"last\":\"\(last)\"}}")
    }

    /// The four prints of a minute: open, high, low, close, with the volume split evenly.
    static func krakenPrints(_ bar: SyntheticBar) -> [(price: Int64, quantity: Int64)] {
        let share = bar.volume / Int64(krakenTradesPerMinute)
        let rest = bar.volume - share * Int64(krakenTradesPerMinute - 1)
        return [(bar.open, share), (bar.high, share), (bar.low, share), (bar.close, rest)]
    }

    static func krakenError(_ message: String) -> SandboxReply {
        .json("{\"error\":[\(jsonString(message))]}")
    }
}
