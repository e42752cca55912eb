import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore

extension SandboxServer {
    /// `GET /api/v3/coins/markets`: `vs_currency` (required; only `usd` priced), `category`
    /// (`stablecoins`), `ids`, `order` (`market_cap_desc` default, `market_cap_asc`, `volume_desc`,
    /// `volume_asc`, `id_asc`, `id_desc`), `per_page` (1…250, default 100), `page` (default 1).
    func coinsMarkets(_ query: FlatDictionary<Substring, Substring>) -> SandboxReply {
        guard let currency = query["vs_currency"], !currency.isEmpty else {
            return .json("{\"error\":\"Missing parameter vs_currency\"}", status: .badRequest)
        }
        guard currency.lowercased() == "usd" else {
            return .json("{\"error\":\"invalid vs_currency\"}", status: .badRequest)
        }
        let ranks = rankTable()
        var rows = market.coins.enumerated().map { index, coin in marketRow(coin, index: index, ranks: ranks) }
        if let category = query["category"], !category.isEmpty {
            guard category == "stablecoins" else {
                return .json("{\"error\":\"category not found\"}", status: .notFound)
            }
            rows.removeAll { !$0.coin.isStablecoin }
        }
        if let ids = query["ids"], !ids.isEmpty {
            let wanted = Set(ids.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            rows.removeAll { !wanted.contains($0.coin.id) }
        }
        switch query["order"].map(String.init) ?? "market_cap_desc" {
        case "market_cap_asc": rows.sort { ($0.marketCap, $1.coin.id) < ($1.marketCap, $0.coin.id) }
        case "volume_desc": rows.sort { $0.volume > $1.volume }
        case "volume_asc": rows.sort { $0.volume < $1.volume }
        case "id_asc": rows.sort { $0.coin.id < $1.coin.id }
        case "id_desc": rows.sort { $0.coin.id > $1.coin.id }
        case "market_cap_desc": rows.sort { ($0.marketCap, $1.coin.id) > ($1.marketCap, $0.coin.id) }
        default: return .json("{\"error\":\"invalid order\"}", status: .badRequest)
        }
        let perPage = min(250, max(1, query["per_page"].flatMap { Int($0) } ?? 100))
        let page = max(1, query["page"].flatMap { Int($0) } ?? 1)
        let slice = rows.dropFirst((page - 1) * perPage).prefix(perPage)
        return .json("[" + slice.map(\.json).joined(separator: ",") + "]")
    }

    private struct MarketRow {
        var coin: SandboxCoin
        var marketCap: Double
        var volume: Double
        var json: String
    }

    /// One coin's `coins/markets` object at the sandbox's now. Every 50th long-tail coin is unranked:
    /// its rank, market cap and supply fields are `null`, as CoinGecko sends them.
    private func marketRow(_ coin: SandboxCoin, index: Int, ranks: [String: Int]) -> MarketRow {
        let today = Int((now.timeIntervalSince1970 / 86_400).rounded(.down))
        let price = currentPrice(coin, day: today)
        let yesterday = market.openPrice(of: coin, day: today - 1)
        let unranked = index >= SandboxCoinUniverse.featured.count && index % 50 == 0
        let marketCap = unranked ? 0 : price * coin.circulatingSupply
        let rank = unranked ? nil : ranks[coin.id]
        let volume = coin.dailyQuoteVolume * (0.8 + 0.4 * Double((index * 37 + today) % 11) / 10)
        let change = price - yesterday
        let high = max(price, yesterday) * (1 + coin.dailyVolatility / 3)
        let low = min(price, yesterday) * (1 - coin.dailyVolatility / 3)
        let ath = max(price, coin.initialPrice) * 1.6
        let atl = min(price, coin.initialPrice) * 0.05
        let stamp = Self.isoMilliseconds(now)
        let json = """
            {"id":\(jsonString(coin.id)),"symbol":\(jsonString(coin.symbol.lowercased())),"name":\(jsonString(coin.name)),\
            "image":"https://coin-images.coingecko.com/coins/images/\(index + 1)/large/\(coin.id).png",\
            "current_price":\(jsonNumber(price)),"market_cap":\(jsonNumber(unranked ? nil : marketCap)),\
            "market_cap_rank":\(rank.map(String.init) ?? "null"),\
            "fully_diluted_valuation":\(jsonNumber(coin.maxSupply.map { $0 * price })),\
            "total_volume":\(jsonNumber(volume.rounded())),"high_24h":\(jsonNumber(high)),"low_24h":\(jsonNumber(low)),\
            "price_change_24h":\(jsonNumber(change)),"price_change_percentage_24h":\(jsonNumber(change / yesterday * 100)),\
            "market_cap_change_24h":\(jsonNumber(unranked ? nil : change * coin.circulatingSupply)),\
            "market_cap_change_percentage_24h":\(jsonNumber(unranked ? nil : change / yesterday * 100)),\
            "circulating_supply":\(jsonNumber(unranked ? nil : coin.circulatingSupply.rounded())),\
            "total_supply":\(jsonNumber(unranked ? nil : (coin.maxSupply ?? coin.circulatingSupply).rounded())),\
            "max_supply":\(jsonNumber(coin.maxSupply)),"ath":\(jsonNumber(ath)),\
            "ath_change_percentage":\(jsonNumber((price / ath - 1) * 100)),"ath_date":"\(Self.isoMilliseconds(now.addingTimeInterval(-86_400 * Double(40 + index % 300))))",\
            "atl":\(jsonNumber(atl)),"atl_change_percentage":\(jsonNumber((price / atl - 1) * 100)),\
            "atl_date":"2015-10-20T00:00:00.000Z","roi":null,"last_updated":"\(stamp)"}
            """
        return MarketRow(coin: coin, marketCap: marketCap, volume: volume, json: json)
    }

    /// The last closed minute's close for coins with a live pair, else the day's open.
    func currentPrice(_ coin: SandboxCoin, day: Int) -> Double {
        guard coin.usdtPair == .trading, day >= market.listingDay(of: coin) else {
            return market.openPrice(of: coin, day: day)
        }
        let minute = Int(now.timeIntervalSince1970 / 60) % SyntheticMarket.minutesPerDay
        let bars = market.minuteBars(of: coin, day: day)
        guard minute > 0, minute - 1 < bars.count else { return market.openPrice(of: coin, day: day) }
        return Double(bars[minute - 1].close) / 1e8
    }

    /// Each ranked coin's rank by market cap (1 = largest).
    private func rankTable() -> [String: Int] {
        let today = Int((now.timeIntervalSince1970 / 86_400).rounded(.down))
        let caps = market.coins.enumerated().compactMap { index, coin -> (String, Double)? in
            let unranked = index >= SandboxCoinUniverse.featured.count && index % 50 == 0
            return unranked ? nil : (coin.id, currentPrice(coin, day: today) * coin.circulatingSupply)
        }
        let sorted = caps.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
        return Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1.0, $0 + 1) })
    }

    static func isoMilliseconds(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
