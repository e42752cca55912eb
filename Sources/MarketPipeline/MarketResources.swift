import Foundation
import MarketData
import Synchronization
import UpdraftConfig
import UpdraftHTTP

/// What the crypto DAGs' tasks share inside one process: the effective configuration, the kline
/// warehouse and the API clients. One `HTTPClient` serves every client, so the per-host rate
/// limits (Binance weight, CoinGecko calls) hold across all concurrent tasks of the process.
///
/// Worker processes inherit the configuration through the environment (`UPDRAFT_HOME`,
/// `UPDRAFT_CONFIG` and `UPDRAFT_<KEY>` overrides), so they see exactly what the parent sees.
final class CryptoServices: Sendable {
    let configuration: UpdraftConfiguration
    let home: String
    let warehouse: KlineWarehouse
    /// The `indicators` DAG's tables, in the warehouse's file.
    let indicators: IndicatorStore
    let coinGecko: CoinGeckoClient
    let binance: BinanceRESTClient
    let archive: BinanceArchiveClient

    private init(configuration: UpdraftConfiguration) throws {
        self.configuration = configuration
        home = configuration.homeURL.path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        warehouse = try KlineWarehouse(path: home + "/market.db")
        indicators = try IndicatorStore(path: home + "/market.db")
        var retry = HTTPRetryPolicy()
        retry.maxAttempts = configuration.integer("http.retries") + 1
        let http = HTTPClient(configuration: HTTPClient.Configuration(retry: retry))
        let key = configuration.string("coingecko.api_key")
        let apiKey: CoinGeckoAPIKey? = key.isEmpty ? nil
            : configuration.string("coingecko.api_key_kind") == "pro" ? .pro(key) : .demo(key)
        coinGecko = CoinGeckoClient(configuration: .init(
            baseURL: configuration.string("endpoints.coingecko"), apiKey: apiKey,
            callsPerMinute: configuration.integer("coingecko.calls_per_minute")), http: http)
        binance = BinanceRESTClient(configuration: .init(
            baseURL: configuration.string("endpoints.binance"),
            rateLimit: RateLimit(capacity: configuration.integer("binance.weight_per_minute"),
                                 usedWeightHeader: RateLimit.binance.usedWeightHeader)), http: http)
        archive = BinanceArchiveClient(configuration: .init(
            baseURL: configuration.string("endpoints.archive"),
            listingURL: configuration.string("endpoints.archive_listing")), http: http)
    }

    private static let cache = Mutex<(key: [String: String], services: CryptoServices)?>(nil)

    /// The services for the current environment, built once per process (and again only when
    /// the `UPDRAFT_*` environment changes, as it does between tests).
    static func current() throws -> CryptoServices {
        let environment = ProcessInfo.processInfo.environment
        let key = environment.filter { $0.key.hasPrefix("UPDRAFT_") }
        if let cached = cache.withLock({ $0 }), cached.key == key { return cached.services }
        let configuration = try ConfigLoader.load(home: nil, configFile: nil, environment: environment)
        let services = try CryptoServices(configuration: configuration)
        cache.withLock { $0 = (key, services) }
        return services
    }

    /// The configuration the registry is built with: schedules come from it. A broken
    /// configuration is reported by `updraft config show`; the DAGs then fall back to defaults.
    static func registryConfiguration() -> UpdraftConfiguration {
        (try? ConfigLoader.load(home: nil, configFile: nil, environment: ProcessInfo.processInfo.environment))
            ?? .defaults
    }

    /// The quote asset, e.g. `USDT`.
    var quoteAsset: String { configuration.string("universe.quote_asset") }
}
