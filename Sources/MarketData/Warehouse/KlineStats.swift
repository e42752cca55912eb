/// How many klines the warehouse holds for one symbol and interval.
public struct KlineStats: Sendable, Equatable, Codable {
    /// Binance pair, e.g. `BTCUSDT`.
    public var symbol: String
    /// The interval (table) counted.
    public var interval: KlineInterval
    /// Number of klines.
    public var rows: Int
    /// µs since the epoch.
    public var firstOpenTime: Int64
    /// µs since the epoch.
    public var lastOpenTime: Int64
}
