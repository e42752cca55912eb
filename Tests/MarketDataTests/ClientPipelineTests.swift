import ExchangeSandbox
import Foundation
import MarketData
import Testing
import UpdraftHTTP

@Suite("Symbols, archive backfill and REST catch-up into the warehouse")
struct ClientPipelineTests {
    let configuration = SandboxTestSupport.configuration()
    let http = SandboxTestSupport.client()

    func micros(_ text: String) -> Int64 { Int64(SandboxTestSupport.date(text).timeIntervalSince1970) * 1_000_000 }

    @Test func symbolsJoinRankingStablecoinsAndPairs() async throws {
        let server = SandboxServer(configuration: configuration)
        let warehouse = try SandboxTestSupport.warehouse()
        let symbols = try await server.withRunning { endpoints in
            try await SymbolUniverse.fetch(
                top: 60,
                coinGecko: CoinGeckoClient(configuration: .init(baseURL: endpoints.coinGecko, callsPerMinute: 100), http: http),
                binance: BinanceRESTClient(configuration: .init(baseURL: endpoints.binance), http: http))
        }
        try warehouse.upsertSymbols(symbols, observedAt: configuration.now!)
        let stored = Dictionary(uniqueKeysWithValues: try warehouse.symbols().map { ($0.id, $0) })
        #expect(stored.count == 60)
        #expect(stored["bitcoin"]?.binancePair == "BTCUSDT" && stored["bitcoin"]?.isStablecoin == false)
        #expect(stored["tether"]?.binancePair == nil && stored["tether"]?.isStablecoin == true)
        #expect(stored["usd-coin"]?.binancePair == "USDCUSDT" && stored["usd-coin"]?.isStablecoin == true)
        #expect(stored["leo-token"]?.binancePair == nil)
        #expect(stored["monero"]?.binancePair == nil)  // its pair is in BREAK
        // WBTC ranks below BTC and has no WBTCUSDT pair: no pair, and BTCUSDT stays with bitcoin.
        #expect(stored["wrapped-bitcoin"]?.binancePair == nil)
    }

    @Test func duplicateTickersGiveThePairToTheHigherRank() async throws {
        func coin(_ id: String, _ symbol: String, rank: Int?) throws -> CoinMarket {
            try JSONDecoder().decode(
                CoinMarket.self,
                from: Data(
                    #"{"id":"\#(id)","symbol":"\#(symbol)","name":"\#(id)","market_cap_rank":\#(rank.map(String.init) ?? "null")}"#.utf8))
        }
        let symbols = SymbolUniverse.symbols(
            coins: [
                try coin("binance-bridged-usdc", "usdc", rank: 40), try coin("usd-coin", "usdc", rank: 7),
                try coin("weird", "usdc", rank: nil),
            ],
            stablecoinIDs: ["usd-coin"], usdtPairs: ["USDCUSDT"])
        #expect(symbols.map(\.binancePair) == [nil, "USDCUSDT", nil])
    }

    @Test func backfillUsesMonthsThenDaysThenCatchUpFollowsREST() async throws {
        let server = SandboxServer(configuration: configuration)
        let warehouse = try SandboxTestSupport.warehouse()
        let (plan, report, again, caughtUp, idle) = try await server.withRunning { endpoints in
            let archive = BinanceArchiveClient(configuration: .init(baseURL: endpoints.archive, listingURL: endpoints.listing), http: http)
            let backfill = KlineArchiveBackfill(archive: archive, warehouse: warehouse)
            let start = SandboxTestSupport.date("2024-01-15T00:00:00Z"), end = SandboxTestSupport.date("2024-03-05T00:00:00Z")
            let plan = try await backfill.files(symbol: "ETHUSDT", interval: .oneMinute, from: start, to: end)
            let report = try await backfill.run(symbol: "ETHUSDT", interval: .oneMinute, from: start, to: end)
            let again = try await backfill.run(symbol: "ETHUSDT", interval: .oneMinute, from: start, to: end)
            let now = configuration.now!
            let rest = BinanceRESTClient(configuration: .init(baseURL: endpoints.binance, now: { now }), http: http)
            let catchUp = KlineRESTCatchUp(binance: rest, warehouse: warehouse)
            let caughtUp = try await catchUp.run(symbol: "ETHUSDT", interval: .oneMinute, defaultStart: start, until: now)
            let idle = try await catchUp.run(symbol: "ETHUSDT", interval: .oneMinute, defaultStart: start, until: now)
            return (plan, report, again, caughtUp, idle)
        }
        // 17 January days, the whole of February as one monthly file, 4 March days.
        #expect(plan.count == 17 + 1 + 4)
        #expect(plan.filter { !$0.isDaily }.map(\.zipName) == ["ETHUSDT-1m-2024-02.zip"])
        #expect(report.failures.isEmpty)
        #expect(report.rows == (17 + 29 + 4) * 1_440)
        #expect(again.rows == 0 && again.loads.allSatisfy(\.skipped))
        // REST brings it from 2024-03-05 00:00 to the last closed bar before now (12:00:30 on the 10th).
        #expect(caughtUp == 5 * 1_440 + 12 * 60)
        #expect(idle == 0)
        #expect(try warehouse.gaps(symbol: "ETHUSDT", from: micros("2024-01-15T00:00:00Z"), to: micros("2024-03-10T12:00:00Z")).isEmpty)
    }

    @Test func backfillReportsABadFileAndKeepsTheRest() async throws {
        let server = SandboxServer(configuration: configuration)
        server.inject(.wrongChecksum, on: .archiveChecksum, matching: "XRPUSDT-1m-2024-03-02", times: nil)
        server.inject(.malformedRow(line: 100), on: .archiveZip, matching: "XRPUSDT-1m-2024-03-03")
        let warehouse = try SandboxTestSupport.warehouse()
        let report = try await server.withRunning { endpoints in
            let archive = BinanceArchiveClient(configuration: .init(baseURL: endpoints.archive, listingURL: endpoints.listing), http: http)
            return try await KlineArchiveBackfill(archive: archive, warehouse: warehouse)
                .run(
                    symbol: "XRPUSDT", interval: .oneMinute, from: SandboxTestSupport.date("2024-03-01T00:00:00Z"),
                    to: SandboxTestSupport.date("2024-03-05T00:00:00Z"))
        }
        #expect(report.loads.count == 2)
        #expect(report.failures.count == 2)
        #expect(report.failures.first?.contains("XRPUSDT-1m-2024-03-02.zip") == true)
        #expect(report.failures.last?.contains("XRPUSDT-1m-2024-03-03") == true && report.failures.last?.contains("line 100") == true)
        let gaps = try warehouse.gaps(symbol: "XRPUSDT", from: micros("2024-03-01T00:00:00Z"), to: micros("2024-03-05T00:00:00Z"))
        #expect(gaps.map(\.missing) == [2 * 1_440])
    }
}
