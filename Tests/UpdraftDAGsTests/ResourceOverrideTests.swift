import ExchangeSandbox
import Foundation
import MarketData
import MarketPipeline
import Testing
import UpdraftConfig
import UpdraftRuntime
import UpdraftTesting

@testable import UpdraftDAGs

/// A DAG test swaps resources: `get_symbols` with its configuration pointing at a closed port,
/// but the API clients replaced by ones on the exchange sandbox and the stores by an in-memory
/// database. The run succeeds only if the tasks used what the test gave them.
@Suite struct ResourceOverrideTests {
    @Test func getSymbolsUsesTheClientsAndStoresTheTestProvides() async throws {
        let sandbox = SandboxServer(configuration: PipelineHarness.sandboxConfiguration())
        let home = try PipelineHarness.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let catalog = ConfigCatalog.engine.adding(MarketConfig.keys)
        let closed = "http://127.0.0.1:9"
        let configuration = try UpdraftConfiguration.defaults(catalog).overriding(
            [
                "home": home, "endpoints.coingecko": closed, "endpoints.binance": closed, "endpoints.archive": closed,
                "endpoints.archive_listing": closed, "universe.coins": "4", "http.retries": "0",
            ], origin: "test")
        try await sandbox.withRunning { endpoints in
            let sandboxed = try configuration.overriding(
                [
                    "endpoints.coingecko": endpoints.coinGecko, "endpoints.binance": endpoints.binance,
                    "coingecko.calls_per_minute": "600",
                ], origin: "sandbox")
            let stores = try MarketStores(database: try MarketDatabase(), home: home)
            let resources = Resources(MarketResources.providers(configuration)).overriding([
                .value(MarketClients(configuration: sandboxed)), .value(stores),
            ])
            let harness = try await DAGTestHarness(dags: CryptoDAGs.all(configuration), home: home, resources: resources)
            let result = try await harness.run("get_symbols")
            #expect(result.state == .success, "\(result.instances.mapValues(\.state))")
            #expect(try !stores.warehouse.symbols().isEmpty)
            #expect(!FileManager.default.fileExists(atPath: home + "/market.db"))  // the file-backed store was never built
        }
    }
}
