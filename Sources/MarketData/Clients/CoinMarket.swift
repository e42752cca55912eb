import Foundation

/// One coin of CoinGecko's `coins/markets`. Only `id`, `symbol` and `name` are always present;
/// every number may be `null` (unranked or new coins), so each is optional.
public struct CoinMarket: Sendable, Hashable, Codable {
    /// CoinGecko's id, the key (`bitcoin`); symbols are not unique.
    public var id: String
    /// Ticker in lower case as CoinGecko sends it (`btc`).
    public var symbol: String
    /// Display name (`Bitcoin`).
    public var name: String
    /// Logo URL.
    public var image: String?
    /// Price in the `vs_currency`.
    public var currentPrice: Double?
    /// Market cap; `nil` for unranked coins.
    public var marketCap: Double?
    /// Rank by market cap (1 = largest); `nil` when unranked.
    public var marketCapRank: Int?
    /// Price × max supply, when capped.
    public var fullyDilutedValuation: Double?
    /// 24 h traded volume in the `vs_currency`.
    public var totalVolume: Double?
    /// 24 h high.
    public var high24h: Double?
    /// 24 h low.
    public var low24h: Double?
    /// Price change over 24 h.
    public var priceChange24h: Double?
    /// Price change over 24 h in percent.
    public var priceChangePercentage24h: Double?
    /// Coins in circulation.
    public var circulatingSupply: Double?
    /// Coins in existence.
    public var totalSupply: Double?
    /// Supply cap; `nil` when uncapped.
    public var maxSupply: Double?
    /// All-time high price.
    public var ath: Double?
    /// When the all-time high was (ISO 8601).
    public var athDate: String?
    /// All-time low price.
    public var atl: Double?
    /// When the all-time low was (ISO 8601).
    public var atlDate: String?
    /// ISO 8601 with milliseconds (`2026-05-18T12:49:21.599Z`).
    public var lastUpdated: String?

    enum CodingKeys: String, CodingKey {
        case id, symbol, name, image, ath, atl
        case currentPrice = "current_price", marketCap = "market_cap", marketCapRank = "market_cap_rank"
        case fullyDilutedValuation = "fully_diluted_valuation", totalVolume = "total_volume"
        case high24h = "high_24h", low24h = "low_24h", priceChange24h = "price_change_24h"
        case priceChangePercentage24h = "price_change_percentage_24h"
        case circulatingSupply = "circulating_supply", totalSupply = "total_supply", maxSupply = "max_supply"
        case athDate = "ath_date", atlDate = "atl_date", lastUpdated = "last_updated"
    }

    /// The likely Binance spot pair, `symbol.uppercased() + "USDT"`; check it against
    /// `BinanceRESTClient.usdtPairs()` before use.
    public var usdtPairCandidate: String { symbol.uppercased() + "USDT" }

    /// Decodes one object; numbers may come as `77671` or `20030493.0`, and any of them as `null`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        symbol = try container.decode(String.self, forKey: .symbol)
        name = try container.decode(String.self, forKey: .name)
        image = try container.decodeIfPresent(String.self, forKey: .image)
        currentPrice = try container.decodeIfPresent(Double.self, forKey: .currentPrice)
        marketCap = try container.decodeIfPresent(Double.self, forKey: .marketCap)
        marketCapRank = try container.decodeIfPresent(Double.self, forKey: .marketCapRank).map { Int($0) }
        fullyDilutedValuation = try container.decodeIfPresent(Double.self, forKey: .fullyDilutedValuation)
        totalVolume = try container.decodeIfPresent(Double.self, forKey: .totalVolume)
        high24h = try container.decodeIfPresent(Double.self, forKey: .high24h)
        low24h = try container.decodeIfPresent(Double.self, forKey: .low24h)
        priceChange24h = try container.decodeIfPresent(Double.self, forKey: .priceChange24h)
        priceChangePercentage24h = try container.decodeIfPresent(Double.self, forKey: .priceChangePercentage24h)
        circulatingSupply = try container.decodeIfPresent(Double.self, forKey: .circulatingSupply)
        totalSupply = try container.decodeIfPresent(Double.self, forKey: .totalSupply)
        maxSupply = try container.decodeIfPresent(Double.self, forKey: .maxSupply)
        ath = try container.decodeIfPresent(Double.self, forKey: .ath)
        athDate = try container.decodeIfPresent(String.self, forKey: .athDate)
        atl = try container.decodeIfPresent(Double.self, forKey: .atl)
        atlDate = try container.decodeIfPresent(String.self, forKey: .atlDate)
        lastUpdated = try container.decodeIfPresent(String.self, forKey: .lastUpdated)
    }
}
