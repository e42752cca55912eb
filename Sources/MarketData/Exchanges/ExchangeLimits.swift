import UpdraftHTTP

/// What an exchange allows, as its documentation states it (docs/exchanges.md has the sources).
///
/// ```swift
/// KuCoinClient.limits.recordsPerRequest   // 1500 candles
/// KuCoinClient.limits.rateLimit           // 2,000 weight per 30 s (public pool)
/// ```
public struct ExchangeLimits: Sendable, Hashable {
    /// What one history request pages over.
    public enum PageUnit: String, Sendable, Hashable {
        /// Candles (Binance, KuCoin, Poloniex).
        case candles
        /// Trades, aggregated into candles by the client (Kraken).
        case trades
    }

    /// The most records one history request returns.
    public var recordsPerRequest: Int
    /// Whether those records are candles or trades.
    public var pageUnit: PageUnit
    /// The host's budget, shared by every request of the process to that host.
    public var rateLimit: RateLimit
    /// The cost of one history request against ``rateLimit``.
    public var requestWeight: Int
    /// The unit the API's time parameters take (`ms`, `s`, `ns`), for the documentation and errors.
    public var timeUnit: String

    /// Limits from their parts.
    public init(recordsPerRequest: Int, pageUnit: PageUnit, rateLimit: RateLimit, requestWeight: Int, timeUnit: String) {
        self.recordsPerRequest = recordsPerRequest
        self.pageUnit = pageUnit
        self.rateLimit = rateLimit
        self.requestWeight = requestWeight
        self.timeUnit = timeUnit
    }

    /// History requests that fit one window of ``rateLimit``.
    public var requestsPerWindow: Int { max(1, rateLimit.capacity / max(1, requestWeight)) }
}
