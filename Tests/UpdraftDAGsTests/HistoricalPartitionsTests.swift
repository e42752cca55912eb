import ExchangeSandbox
import Foundation
import MarketData
import MarketPipeline
import Testing
import UpdraftConfig
import UpdraftRuntime
import UpdraftTesting

@testable import UpdraftDAGs

/// `historical` by partition, in-process against the sandbox: a month whose archive file keeps
/// failing is recorded failed; the backfill conf then names that month only, and the run it
/// starts loads that file alone.
@Suite("historical: partitions and a backfill of the failed ones")
struct HistoricalPartitionsTests {
    @Test func aBackfillReRunsOnlyTheFailedPartition() async throws {
        let now = Date()
        let sandboxConfiguration = PipelineHarness.sandboxConfiguration(now: now)
        let sandbox = SandboxServer(configuration: sandboxConfiguration)
        let home = try PipelineHarness.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        // Last month's monthly file is the one that fails (every try, until the faults are cleared).
        let lastMonth = PartitionState.month(ofMicroseconds: BackfillWindow.start(end: now, months: 1).micros)
        sandbox.inject(.status(500), on: .archiveZip, matching: "BTCUSDT-1m-\(lastMonth).zip", times: nil)
        try await sandbox.withRunning { endpoints in
            let settings = [
                "home": home, "endpoints.binance": endpoints.binance, "endpoints.archive": endpoints.archive,
                "endpoints.archive_listing": endpoints.listing, "http.retries": "0", "data.history_months": "1",
            ]
            let configuration = try UpdraftConfiguration.defaults(ConfigCatalog.engine.adding(MarketConfig.keys))
                .overriding(settings, origin: "test")
            let stores = try MarketStores(home: home)
            let resources = Resources(MarketResources.providers(configuration)).overriding([.value(stores)])
            let warehouse = stores.warehouse
            try warehouse.upsertSymbols(
                [
                    MarketSymbol(id: "bitcoin", ticker: "btc", name: "Bitcoin", rank: 1, marketCap: nil, binancePair: "BTCUSDT"),
                    MarketSymbol(id: "solana", ticker: "sol", name: "Solana", rank: 2, marketCap: nil, binancePair: "SOLUSDT"),
                ], observedAt: now)
            let harness = try await DAGTestHarness(dags: CryptoDAGs.all(configuration), home: home, resources: resources)

            let first = try await harness.run("historical")
            #expect(first.state == .failed)
            let window = BackfillWindow.start(end: now, months: 1)
            var states = try PartitionBackfill.refresh(
                warehouse, symbols: ["BTCUSDT", "SOLUSDT"], exchanges: [.binance], from: window, now: now)
            let failed = states.filter { $0.state == .failed }
            #expect(failed.map { "\($0.symbol) \($0.month)" } == ["BTCUSDT \(lastMonth)"])
            #expect(failed.first?.error?.contains("BTCUSDT-1m-\(lastMonth).zip") == true)
            #expect(states.filter { $0.symbol == "SOLUSDT" }.allSatisfy { $0.state == .loaded })

            // The backfill: only the failed partition.
            let conf = try #require(PartitionBackfill.conf(for: states, start: window))
            #expect(conf["symbols"] == .array([.string("BTCUSDT")]) && conf["months"] == .array([.string(lastMonth)]))
            sandbox.clearFaults()
            let second = try await harness.run("historical", conf: conf)
            #expect(second.state == .success)
            let loads = second.instances.keys.filter { $0.contains(".files.load_") }.sorted()
            #expect(loads == ["historical.BTCUSDT.files.load_\(lastMonth.replacingOccurrences(of: "-", with: "_"))"])
            states = try PartitionBackfill.refresh(
                warehouse, symbols: ["BTCUSDT", "SOLUSDT"], exchanges: [.binance], from: window, now: now)
            #expect(states.allSatisfy { $0.state == .loaded }, "\(states.map { "\($0.symbol) \($0.month) \($0.state)" })")
            #expect(PartitionBackfill.conf(for: states, start: window) == nil)
        }
    }

    @Test func anotherExchangesMonthsComeFromItsRESTHistory() async throws {
        let now = Date()
        let sandbox = SandboxServer(configuration: PipelineHarness.sandboxConfiguration(now: now))
        let home = try PipelineHarness.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let lastMonth = PartitionState.month(ofMicroseconds: BackfillWindow.start(end: now, months: 1).micros)
        let (start, end) = try #require(PartitionState.bounds(ofMonth: lastMonth))
        // KuCoin refuses every candle request of the month's first window until the faults are cleared.
        sandbox.inject(.status(503), on: .kucoin, matching: "startAt=\(start / 1_000_000)&", times: nil)
        try await sandbox.withRunning { endpoints in
            let settings = [
                "home": home, "endpoints.kucoin": endpoints.kucoin, "http.retries": "0", "data.history_months": "1",
                "universe.exchanges": "binance, kucoin",
            ]
            let configuration = try UpdraftConfiguration.defaults(ConfigCatalog.engine.adding(MarketConfig.keys))
                .overriding(settings, origin: "test")
            let stores = try MarketStores(home: home)
            let resources = Resources(MarketResources.providers(configuration)).overriding([.value(stores)])
            let harness = try await DAGTestHarness(dags: CryptoDAGs.all(configuration), home: home, resources: resources)
            let conf: [String: JSONValue] = [
                "symbols": .array([.string("BTCUSDT")]), "exchanges": .array([.string("kucoin")]),
                "months": .array([.string(lastMonth)]),
            ]
            let failed = try await harness.run("historical", conf: conf)
            #expect(failed.state == .failed)
            #expect(failed.instances["exchange_history.kucoin"]?.state == .failed)
            let states = try stores.warehouse.partitions(symbol: "BTCUSDT", exchange: .kucoin)
            #expect(states.map(\.state) == [.failed] && states.first?.error?.contains("KuCoin") == true)
            #expect(PartitionBackfill.conf(for: states, start: Date(micros: start))?["exchanges"] == .array([.string("kucoin")]))

            sandbox.clearFaults()
            let second = try await harness.run("historical", conf: conf)
            #expect(second.state == .success)
            let loaded = try #require(try stores.warehouse.partitions(symbol: "BTCUSDT", exchange: .kucoin).first)
            #expect(loaded.state == .loaded && loaded.daysLoaded == loaded.daysExpected)
            #expect(
                try stores.warehouse.openTimes(exchange: .kucoin, symbol: "BTCUSDT", from: start, to: end).count
                    == Int((end - start) / 60_000_000))
            #expect(try stores.warehouse.openTimes(symbol: "BTCUSDT").isEmpty)  // Binance was not asked for
        }
    }
}
