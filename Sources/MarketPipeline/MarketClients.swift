import Foundation
import MarketData
import UpdraftConfig
import UpdraftHTTP
import UpdraftRuntime

/// The crypto pipeline's API clients, a resource built once per process
/// (`try ctx.resource(MarketClients.self)`). One `HTTPClient` serves every client, so the
/// per-host rate limits (Binance weight, CoinGecko calls) hold across all concurrent tasks of
/// the process. A test swaps it for clients pointed at the exchange sandbox.
public final class MarketClients: Sendable {
    public let coinGecko: CoinGeckoClient
    public let binance: BinanceRESTClient
    public let archive: BinanceArchiveClient

    /// Clients for the endpoints, keys and budgets of `configuration`; their HTTP retries and
    /// rate-limit waits are counted in `metrics` (``MarketMetrics``) when given.
    public init(configuration: UpdraftConfiguration, metrics: TaskMetrics? = nil) {
        var retry = HTTPRetryPolicy()
        retry.maxAttempts = configuration[.httpRetries] + 1
        let http = HTTPClient(
            configuration: HTTPClient.Configuration(retry: retry, observer: metrics.map(MarketMetrics.counting(in:))))
        let key = configuration[.coingeckoAPIKey]
        let apiKey: CoinGeckoAPIKey? =
            key.isEmpty
            ? nil
            : configuration[.coingeckoAPIKeyKind] == "pro" ? .pro(key.revealed) : .demo(key.revealed)
        coinGecko = CoinGeckoClient(
            configuration: .init(
                baseURL: configuration[.coingeckoEndpoint].absoluteString, apiKey: apiKey,
                callsPerMinute: configuration[.coingeckoCallsPerMinute]), http: http)
        binance = BinanceRESTClient(
            configuration: .init(
                baseURL: configuration[.binanceEndpoint].absoluteString,
                rateLimit: RateLimit(
                    capacity: configuration[.binanceWeightPerMinute],
                    usedWeightHeader: RateLimit.binance.usedWeightHeader)), http: http)
        archive = BinanceArchiveClient(
            configuration: .init(
                baseURL: configuration[.archiveEndpoint].absoluteString,
                listingURL: configuration[.archiveListingEndpoint].absoluteString), http: http)
    }

    /// Clients given one by one (tests).
    public init(coinGecko: CoinGeckoClient, binance: BinanceRESTClient, archive: BinanceArchiveClient) {
        self.coinGecko = coinGecko
        self.binance = binance
        self.archive = archive
    }
}
