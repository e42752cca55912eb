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
    public let kraken: KrakenClient
    public let kucoin: KuCoinClient
    public let poloniex: PoloniexClient

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
        kraken = KrakenClient(configuration: .init(baseURL: configuration[.krakenEndpoint].absoluteString), http: http)
        kucoin = KuCoinClient(configuration: .init(baseURL: configuration[.kucoinEndpoint].absoluteString), http: http)
        poloniex = PoloniexClient(configuration: .init(baseURL: configuration[.poloniexEndpoint].absoluteString), http: http)
    }

    /// Clients given one by one (tests); the exchanges not given use their real hosts.
    public init(
        coinGecko: CoinGeckoClient, binance: BinanceRESTClient, archive: BinanceArchiveClient,
        kraken: KrakenClient = KrakenClient(), kucoin: KuCoinClient = KuCoinClient(), poloniex: PoloniexClient = PoloniexClient()
    ) {
        self.coinGecko = coinGecko
        self.binance = binance
        self.archive = archive
        self.kraken = kraken
        self.kucoin = kucoin
        self.poloniex = poloniex
    }

    /// The client of `exchange`.
    ///
    /// ```swift
    /// for exchange in try MarketClients.exchanges(configuration) { let client = clients.exchange(exchange) … }
    /// ```
    public func exchange(_ exchange: ExchangeID) -> any ExchangeClient {
        switch exchange {
        case .binance: binance
        case .kraken: kraken
        case .kucoin: kucoin
        case .poloniex: poloniex
        }
    }

    /// The intervals `data.intervals` asks to resample from 1-minute candles (1m itself excluded).
    public static func resampledIntervals(_ configuration: UpdraftConfiguration) -> [KlineInterval] {
        var seen = Set<KlineInterval>()
        return configuration[.dataIntervals].compactMap(KlineInterval.init(name:))
            .filter { $0 != .oneMinute && KlineWarehouse.resampledIntervals.contains($0) && seen.insert($0).inserted }
    }

    /// The exchanges `universe.exchanges` names, in its order, each once.
    public static func exchanges(_ configuration: UpdraftConfiguration) throws -> [ExchangeID] {
        var seen = Set<ExchangeID>()
        return try configuration[.universeExchanges].compactMap { name in
            let exchange: ExchangeID
            do { exchange = try ExchangeID(configured: name) } catch {
                throw MarketConfigError(key: ConfigKey<[String]>.universeExchanges.path, message: "\(error)")
            }
            return seen.insert(exchange).inserted ? exchange : nil
        }
    }
}

/// A configuration value the pipeline cannot use: names the key.
public struct MarketConfigError: Error, Sendable, CustomStringConvertible {
    /// The key at fault, e.g. `universe.exchanges`.
    public var key: String
    /// What is wrong with its value.
    public var message: String
    public var description: String { "\(key): \(message)" }
}
