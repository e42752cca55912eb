import ExchangeSandbox
import Foundation
import MarketData
import MarketPipeline
import Testing
import UpdraftConfig
import UpdraftRuntime
import UpdraftTesting

@testable import UpdraftDAGs

/// `get_symbols` keeping the universe, run in-process against the sandbox: coins that leave the
/// top N are untracked with the run's date and come back with it; a manual untrack holds through
/// it; another quote asset maps coins to its pairs.
@Suite("get_symbols: the universe")
struct GetSymbolsUniverseTests {
    static func run(coins: Int, quote: String = "USDT", home: String, endpoints: SandboxEndpoints) async throws -> DAGTestHarness.RunResult
    {
        let settings = [
            "home": home, "endpoints.binance": endpoints.binance, "endpoints.coingecko": endpoints.coinGecko,
            "coingecko.calls_per_minute": "600", "coingecko.api_key": "", "http.retries": "1",
            "universe.coins": "\(coins)", "universe.quote_asset": quote,
        ]
        let configuration = try UpdraftConfiguration.defaults(ConfigCatalog.engine.adding(MarketConfig.keys))
            .overriding(settings, origin: "test")
        let resources = Resources(MarketResources.providers(configuration)).overriding([.value(try MarketStores(home: home))])
        let harness = try await DAGTestHarness(dags: CryptoDAGs.all(configuration), home: home, resources: resources)
        return try await harness.run("get_symbols")
    }

    /// The tracked pairs (their order follows the sandbox's market caps of the day).
    static func tracked(_ warehouse: KlineWarehouse) throws -> Set<String> {
        Set(try PipelineQueries.trackedCanonicalPairs(in: warehouse).map(\.description))
    }

    @Test func coinsLeavingTheTopAreUntrackedAndReturn() async throws {
        let sandbox = SandboxServer(configuration: PipelineHarness.sandboxConfiguration())
        let home = try PipelineHarness.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try await sandbox.withRunning { endpoints in
            // The sandbox's top 5: BTC, ETH, USDT (a stablecoin with no pair), BNB, SOL.
            #expect(try await Self.run(coins: 5, home: home, endpoints: endpoints).state == .success)
            let warehouse = try KlineWarehouse(home: home)
            #expect(try Self.tracked(warehouse) == ["BTC/USDT", "ETH/USDT", "BNB/USDT", "SOL/USDT"])
            try warehouse.setManual(.untrack, for: CanonicalPair(base: "ETH", quote: "USDT"), at: Date())

            // The top 3: BNB and SOL left it.
            let second = try await Self.run(coins: 3, home: home, endpoints: endpoints)
            #expect(second.state == .success)
            #expect(try Self.tracked(warehouse) == ["BTC/USDT"])
            let sol = try #require(try warehouse.universeEntry(CanonicalPair(base: "SOL", quote: "USDT")))
            #expect(!sol.isTracked && sol.untrackedAt != nil && sol.reason.hasPrefix("left the top N on "))

            // The top 5 again: they are back; ETH stays untracked by hand.
            #expect(try await Self.run(coins: 5, home: home, endpoints: endpoints).state == .success)
            #expect(try Self.tracked(warehouse) == ["BTC/USDT", "BNB/USDT", "SOL/USDT"])
            #expect(try warehouse.universeEntry(CanonicalPair(base: "SOL", quote: "USDT"))?.untrackedAt == nil)
        }
    }

    @Test func anotherQuoteAssetMapsCoinsToItsPairs() async throws {
        let sandbox = SandboxServer(configuration: PipelineHarness.sandboxConfiguration())
        let home = try PipelineHarness.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try await sandbox.withRunning { endpoints in
            // The sandbox's Binance trades ETHBTC and WBTCBTC against BTC.
            #expect(try await Self.run(coins: 5, quote: "BTC", home: home, endpoints: endpoints).state == .success)
            let warehouse = try KlineWarehouse(home: home)
            #expect(try warehouse.symbol(id: "ethereum")?.binancePair == "ETHBTC")
            #expect(try PipelineQueries.trackedCanonicalPairs(in: warehouse).map(\.description) == ["ETH/BTC"])
            // Bitcoin is the quote asset itself: a "stablecoin" of this universe, recorded, not tracked.
            #expect(try warehouse.symbol(id: "bitcoin")?.isStablecoin == true)
        }
    }
}
