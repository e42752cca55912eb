import ExchangeSandbox
import Foundation
import MarketData
import MarketPipeline
import Testing
import UpdraftConfig
import UpdraftRuntime
import UpdraftTesting

@testable import UpdraftDAGs

/// `incremental` with `data.forward_fill`, run in-process against the sandbox: a symbol whose
/// candles resume after a gap gets the missing minutes filled (apart from its real candles)
/// only when the configuration asks for it. The configuration and the stores reach the tasks as
/// resources: nothing goes through the environment.
@Suite("incremental: forward fill")
struct IncrementalForwardFillTests {
    static let minute: TimeInterval = 60

    @Test(arguments: [true, false])
    func missingMinutesAreFilledOnlyWhenAsked(forwardFill: Bool) async throws {
        let sandbox = SandboxServer(configuration: PipelineHarness.sandboxConfiguration())
        let home = try PipelineHarness.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try await sandbox.withRunning { endpoints in
            let settings = [
                "home": home, "endpoints.binance": endpoints.binance,
                "data.forward_fill": "\(forwardFill)", "http.retries": "1",
            ]
            let configuration = try UpdraftConfiguration.defaults(ConfigCatalog.engine.adding(MarketConfig.keys))
                .overriding(settings, origin: "test")
            let stores = try MarketStores(home: home)
            let resources = Resources(MarketResources.providers(configuration)).overriding([.value(stores)])
            // BTCUSDT has one candle three hours ago, then nothing for an hour: its data resumes after a gap.
            let now = Date()
            let last = (now.timeIntervalSince1970 / Self.minute).rounded(.down) * Self.minute - 3 * 3_600
            let lastCandle = Int64(last) * 1_000_000
            let warehouse = stores.warehouse
            try warehouse.upsertSymbols(
                [
                    MarketSymbol(
                        id: "bitcoin", ticker: "BTC", name: "Bitcoin", rank: 1,
                        marketCap: nil, binancePair: "BTCUSDT")
                ], observedAt: now)
            let price = FixedDecimal(units: 9_000_000_000_000)
            _ = try warehouse.insert(
                [
                    Kline(
                        openTime: lastCandle, open: price, high: price, low: price, close: price,
                        volume: FixedDecimal(units: 100_000_000), closeTime: lastCandle + 59_999_000,
                        quoteVolume: price, trades: 1, takerBuyBaseVolume: FixedDecimal(units: 0),
                        takerBuyQuoteVolume: FixedDecimal(units: 0))
                ],
                symbol: "BTCUSDT", interval: .oneMinute)
            let resume = Date(timeIntervalSince1970: last + 3_600)
            try warehouse.setLastUpdated(resume, forSymbol: "bitcoin")

            let harness = try await DAGTestHarness(dags: CryptoDAGs.all(configuration), home: home, resources: resources)
            let result = try await harness.run("incremental")
            #expect(result.state == .success)
            #expect(result.instances["fetch.BTCUSDT"]?.state == .success)

            let gapEnd = Int64(resume.timeIntervalSince1970) * 1_000_000
            let filled = try warehouse.filledMinutes(symbol: "BTCUSDT", from: lastCandle, to: gapEnd)
            let expected = forwardFill ? (1..<60).map { lastCandle + Int64($0) * 60_000_000 } : []
            #expect(filled == expected)
            // The real candles: the old one and what the REST API gave from the resume point on.
            let real = try warehouse.openTimes(symbol: "BTCUSDT", from: lastCandle, to: gapEnd)
            #expect(real == [lastCandle])
            #expect(try warehouse.openTimes(symbol: "BTCUSDT", from: gapEnd).count >= 119)
        }
    }
}
