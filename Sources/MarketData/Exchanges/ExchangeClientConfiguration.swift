import Foundation
import UpdraftHTTP

/// What a public-data exchange client offers as its defaults: its real host and its limits
/// (``ExchangeClientConfiguration`` reads them).
public protocol PublicExchangeDefaults {
    /// The real API base, e.g. `https://api.kucoin.com`.
    static var defaultBaseURL: String { get }
    /// Its paging limit, rate limit and time unit.
    static var limits: ExchangeLimits { get }
}

/// Where and how to call one exchange's public market data: the base URL (the real host, or a
/// sandbox), the host's budget, and the clock that decides which candle is still open. Shared by
/// the Kraken, KuCoin and Poloniex clients (each names it `Configuration`), so a new exchange
/// gets it by declaring its ``PublicExchangeDefaults``.
///
/// ```swift
/// let kucoin = KuCoinClient(configuration: .init(baseURL: sandbox.kucoin))
/// ```
public struct ExchangeClientConfiguration<Client: PublicExchangeDefaults>: Sendable {
    /// API base, without a trailing slash.
    public var baseURL: String
    /// The host's budget.
    public var rateLimit: RateLimit
    /// The clock that decides which candle is still open.
    public var now: @Sendable () -> Date

    /// A configuration with the exchange's real host and limits by default.
    public init(
        baseURL: String = Client.defaultBaseURL, rateLimit: RateLimit = Client.limits.rateLimit,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.rateLimit = rateLimit
        self.now = now
    }
}
