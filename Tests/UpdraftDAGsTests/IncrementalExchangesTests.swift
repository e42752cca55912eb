import ExchangeSandbox
import Foundation
import GRDB
import MarketData
import MarketPipeline
import Testing
import UpdraftConfig
import UpdraftHTTP
import UpdraftRuntime
import UpdraftTesting

@testable import UpdraftDAGs

/// `incremental` with `universe.exchanges`, run in-process against the sandbox: every configured
/// exchange gets the tracked pairs' closed minutes, kept apart by the `exchange` column, and a
/// second run writes nothing new.
@Suite("incremental: every configured exchange")
struct IncrementalExchangesTests {
    @Test func eachConfiguredExchangeIsFetchedIntoItsOwnRows() async throws {
        var sandboxConfiguration = PipelineHarness.sandboxConfiguration()
        // The test's Kraken client is given a larger budget than Kraken's one call a second, so the
        // sandbox grants it too: the run takes no real waiting.
        sandboxConfiguration.exchangeBudgets[.kraken] = SandboxExchangeBudget(capacity: 1_000, windowSeconds: 1)
        let sandbox = SandboxServer(configuration: sandboxConfiguration)
        let home = try PipelineHarness.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try await sandbox.withRunning { endpoints in
            let settings = [
                "home": home, "endpoints.binance": endpoints.binance, "http.retries": "1",
                "universe.exchanges": "binance, kucoin, kraken, poloniex", "data.intervals": "1m, 5m, 1h",
            ]
            let configuration = try UpdraftConfiguration.defaults(ConfigCatalog.engine.adding(MarketConfig.keys))
                .overriding(settings, origin: "test")
            let stores = try MarketStores(home: home)
            let http = HTTPClient()
            let clients = MarketClients(
                coinGecko: CoinGeckoClient(configuration: .init(baseURL: endpoints.coinGecko), http: http),
                binance: BinanceRESTClient(configuration: .init(baseURL: endpoints.binance), http: http),
                archive: BinanceArchiveClient(configuration: .init(baseURL: endpoints.archive, listingURL: endpoints.listing), http: http),
                kraken: KrakenClient(
                    configuration: .init(baseURL: endpoints.kraken, rateLimit: RateLimit(capacity: 1_000, window: .seconds(1))), http: http),
                kucoin: KuCoinClient(configuration: .init(baseURL: endpoints.kucoin), http: http),
                poloniex: PoloniexClient(configuration: .init(baseURL: endpoints.poloniex), http: http))
            let resources = Resources(MarketResources.providers(configuration)).overriding([.value(stores), .value(clients)])
            let now = Date()
            let warehouse = stores.warehouse
            // BTC and ETH are tracked; Binance resumes two hours back, the others start a day back.
            try warehouse.upsertSymbols(
                [
                    MarketSymbol(id: "bitcoin", ticker: "btc", name: "Bitcoin", rank: 1, marketCap: nil, binancePair: "BTCUSDT"),
                    MarketSymbol(id: "ethereum", ticker: "eth", name: "Ethereum", rank: 2, marketCap: nil, binancePair: "ETHUSDT"),
                ], observedAt: now)
            let resume = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 60).rounded(.down) * 60 - 7_200)
            for id in ["bitcoin", "ethereum"] { try warehouse.setLastUpdated(resume, forSymbol: id) }

            let harness = try await DAGTestHarness(dags: CryptoDAGs.all(configuration), home: home, resources: resources)
            let result = try await harness.run("incremental")
            #expect(result.state == .success)
            for name in ["kucoin", "kraken", "poloniex"] {
                #expect(result.instances["fetch_exchange.\(name)"]?.state == .success, "\(name)")
            }
            let from = Int64(resume.timeIntervalSince1970) * 1_000_000
            let binance = try warehouse.klines(symbol: "BTCUSDT", from: from)
            #expect(binance.count >= 119)
            for exchange in [ExchangeID.kucoin, .kraken, .poloniex] {
                let rows = try warehouse.klines(exchange: exchange, symbol: "BTCUSDT", from: from)
                // The same synthetic minutes as Binance's where both have them.
                let common = Set(rows.map(\.openTime)).intersection(binance.map(\.openTime))
                #expect(common.count >= 119, "\(exchange)")
                let byTime = Dictionary(uniqueKeysWithValues: rows.map { ($0.openTime, $0) })
                #expect(binance.filter { common.contains($0.openTime) }.allSatisfy { byTime[$0.openTime]?.close == $0.close })
                #expect(try warehouse.openTimes(exchange: exchange, symbol: "ETHUSDT").count >= 1_438, "\(exchange)")
            }
            // data.intervals: each exchange's minutes resampled into 5m and 1h buckets of their own.
            #expect(result.instances["resample"]?.state == .success)
            for exchange in ExchangeID.allCases {
                for interval in [KlineInterval.fiveMinutes, .oneHour] {
                    let minutes = try warehouse.openTimes(exchange: exchange, symbol: "BTCUSDT")
                    let buckets = Set(minutes.map { $0 - $0 % interval.microseconds! })
                    #expect(
                        try warehouse.openTimes(exchange: exchange, symbol: "BTCUSDT", interval: interval) == buckets.sorted(),
                        "\(exchange) \(interval)")
                }
            }
            // Reads that name no exchange stay Binance's.
            #expect(try warehouse.openTimes(symbol: "BTCUSDT", from: from) == binance.map(\.openTime))

            // A second run resumes after the newest candles: nothing already stored is fetched again.
            let before = try Self.rowCounts(warehouse)
            let again = try await harness.run("incremental")
            #expect(again.state == .success)
            let after = try Self.rowCounts(warehouse)
            for (exchange, count) in before { #expect(after[exchange, default: 0] - count <= 4, "\(exchange)") }
        }
    }

    @Test func anUnknownExchangeIsRefusedNamingTheKey() throws {
        let catalog = ConfigCatalog.engine.adding(MarketConfig.keys)
        let error = #expect(throws: ConfigError.self) {
            _ = try UpdraftConfiguration.defaults(catalog).overriding(["universe.exchanges": "binance, bitfinex"], origin: "test")
        }
        #expect(error?.description.contains("universe.exchanges") == true)
        #expect(error?.description.contains("binance, kraken, kucoin, poloniex") == true)
    }

    static func rowCounts(_ warehouse: KlineWarehouse) throws -> [String: Int] {
        try warehouse.read { db in
            Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT exchange, COUNT(*) FROM tickerdata_1m GROUP BY exchange")
                    .map { ($0[0], $0[1]) })
        }
    }
}
