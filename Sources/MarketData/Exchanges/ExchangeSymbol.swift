/// One market of an exchange: its canonical pair, the name its API takes, and whether it trades.
///
/// ```swift
/// let btc = ExchangeSymbol(exchange: .kucoin, pair: CanonicalPair(base: "BTC", quote: "USDT"),
///                          native: "BTC-USDT", isTrading: true)
/// ```
public struct ExchangeSymbol: Sendable, Hashable, Codable {
    /// The exchange it belongs to.
    public var exchange: ExchangeID
    /// Its pair in canonical naming (`BTC/USDT`).
    public var pair: CanonicalPair
    /// The exchange's own name, sent in requests (`BTCUSDT`, `XXBTZUSD`, `BTC-USDT`, `BTC_USDT`).
    public var native: String
    /// Whether the exchange trades it now (Binance `TRADING`, Kraken `online`, KuCoin
    /// `enableTrading`, Poloniex `NORMAL`).
    public var isTrading: Bool

    /// A symbol from its fields.
    public init(exchange: ExchangeID, pair: CanonicalPair, native: String, isTrading: Bool) {
        self.exchange = exchange
        self.pair = pair
        self.native = native
        self.isTrading = isTrading
    }
}
