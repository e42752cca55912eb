import ExchangeSandbox
import Foundation
import MarketData
import MarketPipeline
import Testing
import UpdraftCLI
import UpdraftConfig
import UpdraftRuntime
import UpdraftTesting

@testable import MarketCLI
@testable import UpdraftDAGs

/// `updraft demo` runs two exchanges and two intervals: its own configuration (`DemoSettings`,
/// smaller universe and history so the test is quick) drives get_symbols, historical and
/// incremental in-process against the sandbox, and its summary reports each exchange's candles
/// per interval.
@Suite("updraft demo: two exchanges, two intervals")
struct DemoExchangesTests {
    @Test func theDemosConfigurationFillsTwoExchangesAndTwoResampledIntervals() async throws {
        var chosen = DemoSettings()
        chosen.coins = 1  // BTC alone: the test is about exchanges and intervals, not the universe
        chosen.historyMonths = 1
        let settings = chosen
        #expect(settings.exchanges.count >= 2)
        #expect(settings.intervals.filter { $0 != "1m" }.count >= 2)
        let home = try PipelineHarness.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let sandbox = SandboxServer(configuration: settings.sandboxConfiguration())
        let application = UpdraftApplication(extensions: [MarketExtension()], dags: { CryptoDAGs.all($0) })
        try await sandbox.withRunning { endpoints in
            let configuration = try settings.configuration(catalog: application.catalog, home: home, endpoints: endpoints)
            #expect(try MarketClients.exchanges(configuration) == [.binance, .kucoin])
            #expect(MarketClients.resampledIntervals(configuration) == [.fiveMinutes, .oneHour])
            let stores = try MarketStores(home: home)
            let resources = Resources(MarketResources.providers(configuration)).overriding([.value(stores)])
            let harness = try await DAGTestHarness(dags: CryptoDAGs.all(configuration), home: home, resources: resources)
            for dag in ["get_symbols", "historical", "incremental"] {
                let result = try await harness.run(dag)
                #expect(result.state == .success, "\(dag)")
            }
            let warehouse = stores.warehouse
            for exchange in [ExchangeID.binance, .kucoin] {
                for interval in [KlineInterval.oneMinute, .fiveMinutes, .oneHour] {
                    let rows = try warehouse.stats(exchange: exchange).filter { $0.interval == interval && $0.symbol == "BTCUSDT" }
                    #expect(rows.first.map { $0.rows > 0 } == true, "\(exchange) \(interval)")
                }
            }
            let summary = try DemoSummary(
                warehouse: warehouse, forecaster: stores.forecaster, indicators: stores.indicators, horizonMinutes: 60
            ).render()
            let kucoin = try #require(summary.split(separator: "\n").first { $0.hasPrefix("KuCoin: ") })
            #expect(kucoin.contains(" 1m, ") && kucoin.contains(" 5m, ") && kucoin.hasSuffix(" 1h"), "\(kucoin)")
            #expect(summary.contains("\nBinance: "))
        }
    }
}
