import ExchangeSandbox
import Foundation
import MarketData
import MarketPipeline
import Testing
import UpdraftConfig
import UpdraftRuntime
import UpdraftTesting

@testable import UpdraftDAGs

/// `universe.quote_asset: BTC` end to end against the sandbox: `get_symbols` maps Ethereum to
/// `ETHBTC`, `incremental` fetches its candles, resamples them, and each candle is the sandbox's
/// ETH/USDT price divided by its BTC/USDT close of the same minute.
@Suite("universe: a quote asset other than USDT")
struct NonUSDTQuoteTests {
    @Test func btcQuotedPairsGetCandlesEndToEnd() async throws {
        let sandbox = SandboxServer(configuration: PipelineHarness.sandboxConfiguration())
        let home = try PipelineHarness.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try await sandbox.withRunning { endpoints in
            let settings = [
                "home": home, "endpoints.binance": endpoints.binance, "endpoints.coingecko": endpoints.coinGecko,
                "coingecko.calls_per_minute": "600", "coingecko.api_key": "", "http.retries": "1",
                "universe.coins": "5", "universe.quote_asset": "BTC", "data.intervals": "1m, 5m",
            ]
            let configuration = try UpdraftConfiguration.defaults(ConfigCatalog.engine.adding(MarketConfig.keys))
                .overriding(settings, origin: "test")
            let stores = try MarketStores(home: home)
            let resources = Resources(MarketResources.providers(configuration)).overriding([.value(stores)])
            let harness = try await DAGTestHarness(dags: CryptoDAGs.all(configuration), home: home, resources: resources)
            #expect(try await harness.run("get_symbols").state == .success)
            let warehouse = stores.warehouse
            #expect(try PipelineQueries.trackedCanonicalPairs(in: warehouse).map(\.description) == ["ETH/BTC"])

            // Two hours to catch up from.
            let now = Date()
            let resume = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 60).rounded(.down) * 60 - 7_200)
            try warehouse.setLastUpdated(resume, forSymbol: "ethereum")
            let result = try await harness.run("incremental")
            #expect(result.state == .success)
            #expect(result.instances["fetch.ETHBTC"]?.state == .success)
            let candles = try warehouse.klines(symbol: "ETHBTC", from: resume.micros)
            #expect(candles.count >= 110)
            #expect(try !warehouse.klines(symbol: "ETHBTC", interval: .fiveMinutes, from: resume.micros).isEmpty)

            // Each ETH/BTC close is ETH/USDT's close over BTC/USDT's, to the 8th decimal (truncated).
            let binance = BinanceRESTClient(configuration: .init(baseURL: endpoints.binance))
            let sample = Array(candles.prefix(20))
            let first = try #require(sample.first).openTime, last = try #require(sample.last).openTime
            let eth = try await binance.klines(symbol: "ETHUSDT", interval: .oneMinute, start: first, end: last)
            let btc = try await binance.klines(symbol: "BTCUSDT", interval: .oneMinute, start: first, end: last)
            #expect(eth.map(\.openTime) == sample.map(\.openTime) && btc.map(\.openTime) == sample.map(\.openTime))
            for (pair, (e, b)) in zip(sample, zip(eth, btc)) {
                #expect(pair.close.units == e.close.units * 100_000_000 / b.close.units)
                #expect(pair.volume == e.volume)
            }
        }
    }
}
