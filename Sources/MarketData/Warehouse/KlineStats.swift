/// How many klines the warehouse holds for one symbol and interval.
public struct KlineStats: Sendable, Equatable, Codable {
    public var symbol: String
    public var interval: KlineInterval
    public var rows: Int
    /// µs since the epoch.
    public var firstOpenTime: Int64
    /// µs since the epoch.
    public var lastOpenTime: Int64
}
