import Foundation

/// A coin in the warehouse's `symbol` table, keyed by its CoinGecko id.
public struct MarketSymbol: Sendable, Hashable, Codable {
    /// CoinGecko id, e.g. `bitcoin`.
    public var id: String
    /// CoinGecko symbol, e.g. `btc`.
    public var ticker: String
    /// Display name, e.g. `Bitcoin`.
    public var name: String
    /// Market-cap rank (nil when CoinGecko gives none).
    public var rank: Int?
    /// Market cap in the quote currency (USD), nil when unknown.
    public var marketCap: Double?
    /// The Binance spot pair, e.g. `BTCUSDT`, or nil when the coin has no tradable USDT pair.
    public var binancePair: String?
    /// Whether the coin is a stablecoin (the DAGs skip those).
    public var isStablecoin: Bool
    /// When the coin first appeared in an upsert (set by the warehouse).
    public var firstSeenAt: Date?
    /// When its klines were last brought up to date (nil: never).
    public var lastUpdatedAt: Date?

    /// A coin; `firstSeenAt` and `lastUpdatedAt` are set by the warehouse, not by upserts.
    public init(
        id: String, ticker: String, name: String, rank: Int?, marketCap: Double?,
        binancePair: String?, isStablecoin: Bool = false, firstSeenAt: Date? = nil,
        lastUpdatedAt: Date? = nil
    ) {
        self.id = id
        self.ticker = ticker
        self.name = name
        self.rank = rank
        self.marketCap = marketCap
        self.binancePair = binancePair
        self.isStablecoin = isStablecoin
        self.firstSeenAt = firstSeenAt
        self.lastUpdatedAt = lastUpdatedAt
    }
}
