/// One entry of Binance's `exchangeInfo.symbols` (the fields the pipeline uses).
public struct BinanceSymbol: Sendable, Hashable, Codable {
    /// The pair (`BTCUSDT`).
    public var symbol: String
    /// `TRADING`, `BREAK`, `HALT`, `END_OF_DAY` or `CANCEL_ONLY`.
    public var status: String
    /// The asset bought (`BTC`).
    public var baseAsset: String
    /// The asset paid (`USDT`).
    public var quoteAsset: String
    /// Whether spot orders are allowed (missing counts as false).
    public var isSpotTradingAllowed: Bool

    /// A symbol from its fields.
    public init(symbol: String, status: String, baseAsset: String, quoteAsset: String, isSpotTradingAllowed: Bool) {
        self.symbol = symbol
        self.status = status
        self.baseAsset = baseAsset
        self.quoteAsset = quoteAsset
        self.isSpotTradingAllowed = isSpotTradingAllowed
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        symbol = try container.decode(String.self, forKey: .symbol)
        status = try container.decode(String.self, forKey: .status)
        baseAsset = try container.decode(String.self, forKey: .baseAsset)
        quoteAsset = try container.decode(String.self, forKey: .quoteAsset)
        isSpotTradingAllowed = try container.decodeIfPresent(Bool.self, forKey: .isSpotTradingAllowed) ?? false
    }

    /// A live USDT spot pair: `quoteAsset == "USDT" && status == "TRADING" && isSpotTradingAllowed`.
    public var isLiveUSDTPair: Bool {
        quoteAsset == "USDT" && status == "TRADING" && isSpotTradingAllowed
    }
}
