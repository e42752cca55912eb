import ExchangeSandbox
import Foundation
import MarketData
import MarketPipeline
import Testing
import UpdraftConfig
import UpdraftRuntime
import UpdraftTesting

@testable import UpdraftDAGs

/// The `trading` DAG and its ledger on crafted candles and predictions: paper trading in steps
/// agrees with the backtest bar for bar, re-runs trade nothing twice, sandbox mode signs orders
/// to the exchange sandbox and books its fills, live mode refuses to start without its
/// confirmation and keys, and a backtest's PnL matches arithmetic by hand.
@Suite struct TradingDAGTests {
    /// A wave with a crash at minutes 150–160 (the stop loss sells) on a slow rise.
    static func close(_ minute: Int) -> Double {
        let crash = (150..<160).contains(minute) ? -6.0 : 0
        return 100 + 5 * sin(Double(minute) / 7) + Double(minute) * 0.01 + crash
    }

    /// The predicted return: what happens over the next 3 minutes (up during the crash).
    static func prediction(_ minute: Int) -> Double {
        (150..<160).contains(minute) ? 0.01 : close(minute + 3) / close(minute) - 1
    }

    static let strategy = [
        "trading.buy_above": "0.001", "trading.sell_below": "-0.001", "trading.fraction": "0.5", "trading.stop_loss": "0.02",
        "trading.daily_loss_limit": "0", "trading.symbols": "BTCUSDT", "trading.starting_cash": "1000",
    ]

    @Test func paperTradingInStepsAgreesWithTheBacktestBarForBarAndReRunsAddNothing() async throws {
        let fixture = try MarketDAGFixture()
        defer { fixture.remove() }
        try fixture.addCandles("BTCUSDT", from: 0, closes: (0..<120).map(Self.close))
        try fixture.addPredictions("BTCUSDT", Dictionary(uniqueKeysWithValues: (0..<100).map { ($0, Self.prediction($0)) }))
        let configuration = try fixture.configuration(Self.strategy)
        let harness = try await fixture.harness(configuration)
        let first = try await harness.run("trading")
        #expect(first.state == .success)
        let ledger = fixture.stores.ledger
        #expect(try ledger.equity(mode: .paper, symbol: "BTCUSDT").count == 100)  // up to the newest prediction

        try fixture.addCandles("BTCUSDT", from: 120, closes: (120..<200).map(Self.close), opens: (120..<200).map { Self.close($0 - 1) })
        try fixture.addPredictions("BTCUSDT", Dictionary(uniqueKeysWithValues: (100..<199).map { ($0, Self.prediction($0)) }))
        #expect(try await harness.run("trading").state == .success)
        let fills = try ledger.fills(mode: .paper, symbol: "BTCUSDT")
        let equity = try ledger.equity(mode: .paper, symbol: "BTCUSDT")

        // A re-run of a run and a run with nothing new trade nothing again.
        _ = try await harness.engine.clear(run: first.run.key, taskIds: ["trade"], downstream: true)
        #expect(try await harness.execute(first.run.key).state == .success)
        #expect(try await harness.run("trading").state == .success)
        #expect(try ledger.fills(mode: .paper, symbol: "BTCUSDT") == fills)
        #expect(try ledger.equity(mode: .paper, symbol: "BTCUSDT") == equity)
        #expect(try ledger.orders(mode: .paper).count == fills.count)

        let backtest = try Backtest.run(
            symbol: "BTCUSDT", from: MarketDAGFixture.t0, to: MarketDAGFixture.time(199),
            strategy: try TradingSettings.strategy(configuration),
            startingCash: 1_000, stores: fixture.stores, horizonMinutes: 60)
        #expect(backtest.fills.count >= 4 && backtest.fills.contains { $0.reason == .stopLoss })
        #expect(fills.map(\.time) == backtest.fills.map { $0.openTime * 1_000 })
        #expect(fills.map(\.side) == backtest.fills.map(\.side) && fills.map(\.reason) == backtest.fills.map(\.reason))
        #expect(fills.map(\.quantity) == backtest.fills.map(\.quantity) && fills.map(\.price) == backtest.fills.map(\.price))
        #expect(fills.map(\.fee) == backtest.fills.map(\.fee))
        #expect(equity.map(\.openTime) == backtest.equity.map { $0.openTime * 1_000 })
        #expect(equity.map(\.equity) == backtest.equity.map(\.equity))
        #expect(equity.map(\.quantity) == backtest.equity.map(\.quantity))

        // The ledger's PnL is the backtest's.
        let report = try TradingReport.ledger(mode: .paper, symbol: "BTCUSDT", stores: fixture.stores)
        let line = try #require(report.symbols.first)
        #expect(abs(line.equity - backtest.finalEquity) < 1e-9 && abs(line.sharpe - backtest.sharpe) < 1e-9)
        #expect(abs(line.maxDrawdown - backtest.maxDrawdown) < 1e-12 && abs(line.feesPaid - backtest.feesPaid) < 1e-9)
        #expect(abs((line.buyAndHoldReturn ?? 0) - backtest.buyAndHoldReturn) < 1e-12)
    }

    @Test func aBacktestsProfitAndLossIsTheArithmeticByHand() throws {
        let fixture = try MarketDAGFixture()
        defer { fixture.remove() }
        try fixture.addCandles("BTCUSDT", from: 0, closes: [100, 105, 108, 111], opens: [100, 100, 106, 110])
        try fixture.addPredictions("BTCUSDT", [0: 0.02, 1: 0, 2: -0.02])
        let configuration = try fixture.configuration([
            "trading.buy_above": "0.01", "trading.sell_below": "-0.01", "trading.fraction": "0.5", "trading.fee_rate": "0.001",
            "trading.slippage": "0.001", "trading.starting_cash": "1000", "trading.stop_loss": "0", "trading.daily_loss_limit": "0",
        ])
        let result = try Backtest.run(
            symbol: "BTCUSDT", from: MarketDAGFixture.t0, to: MarketDAGFixture.time(4),
            strategy: try TradingSettings.strategy(configuration), startingCash: 1_000, stores: fixture.stores, horizonMinutes: 60)
        // Buy 500 USDT at 100 × 1.001 (fee 0.5) at minute 1's open; sell all at 110 × 0.999 at minute 3's open.
        let quantity = 500 / 100.1
        let proceeds = quantity * 109.89
        let finalCash = 1_000 - 500 - 0.5 + proceeds * 0.999
        #expect(result.fills.map(\.side) == [.buy, .sell])
        #expect(abs(result.finalEquity - finalCash) < 1e-9)
        #expect(abs(result.totalReturn - (finalCash / 1_000 - 1)) < 1e-12)
        #expect(abs(result.feesPaid - (0.5 + proceeds * 0.001)) < 1e-9)
        // Equity at the closes: 1000, 499.5 + q × 105, 499.5 + q × 108, final cash.
        let curve = [1_000, 499.5 + quantity * 105, 499.5 + quantity * 108, finalCash]
        #expect(zip(result.equity.map(\.equity), curve).allSatisfy { abs($0 - $1) < 1e-9 })
        let returns = zip([1_000] + curve, curve).map { $1 / $0 - 1 }
        let mean = returns.reduce(0, +) / 4
        let deviation = (returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
        #expect(abs(result.sharpe - mean / deviation * 525_600.0.squareRoot()) < 1e-6)
        #expect(abs(result.buyAndHoldReturn - 0.11) < 1e-12 && result.maxDrawdown == 0)
    }

    static let key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
    static let secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"

    @Test func sandboxModeSignsOrdersToTheSandboxAndBooksItsFillsOnce() async throws {
        let fixture = try MarketDAGFixture()
        defer { fixture.remove() }
        try fixture.addCandles("BTCUSDT", from: 0, closes: (0..<10).map { 100 + Double($0) })
        try fixture.addPredictions("BTCUSDT", Dictionary(uniqueKeysWithValues: (0..<10).map { ($0, $0 == 9 ? 0.05 : 0) }))
        let sandbox = SandboxServer(configuration: PipelineHarness.sandboxConfiguration())
        try await sandbox.withRunning { endpoints in
            let configuration = try fixture.configuration(
                Self.strategy.merging(
                    [
                        "trading.mode": "sandbox", "trading.endpoint": endpoints.binance, "trading.api_key": Self.key,
                        "trading.api_secret": Self.secret, "trading.fraction": "0.1",
                    ], uniquingKeysWith: { $1 }))
            let harness = try await fixture.harness(configuration)
            let exchange = BinanceTradingClient(baseURL: endpoints.binance, signer: BinanceSigner(apiKey: Self.key, secretKey: Self.secret))
            let first = try await harness.run("trading")
            #expect(first.state == .success)
            let ledger = fixture.stores.ledger
            let orders = try ledger.orders(mode: .sandbox)
            #expect(orders.count == 1 && orders[0].status == "filled" && orders[0].side == .buy && orders[0].exchangeOrderId != nil)
            #expect(orders[0].clientOrderId == TradingLedger.clientOrderId(symbol: "BTCUSDT", decidedAt: MarketDAGFixture.time(9) / 1_000))
            let buy = try #require(try ledger.fills(mode: .sandbox).first)
            // 10 % of 1,000 USDT: a 100.00 USDT market buy at the sandbox's price.
            let balances = try await exchange.account()
            let usdt = try #require(Double(balances.first { $0.asset == "USDT" }?.free ?? ""))
            let btc = try #require(Double(balances.first { $0.asset == "BTC" }?.free ?? ""))
            #expect(abs(buy.quantity * buy.price - (10_000 - usdt)) < 1e-6 && 10_000 - usdt <= 100 && 10_000 - usdt > 99)
            #expect(abs(buy.fee - buy.quantity / 1_000 * buy.price) <= buy.price * 1e-8)  // the commission in whole 1e-8 BTC
            let position = try #require(try ledger.book(mode: .sandbox, symbol: "BTCUSDT"))
            #expect(abs(position.quantity - btc) < 1e-8 && abs(position.cash - (1_000 - (10_000 - usdt))) < 1e-6)

            // A re-run sends nothing: the ledger has the bar's order.
            _ = try await harness.engine.clear(run: first.run.key, taskIds: ["trade"], downstream: true)
            #expect(try await harness.execute(first.run.key).state == .success)
            #expect(try await exchange.account() == balances)
            #expect(try ledger.orders(mode: .sandbox).count == 1)

            // A sell signal at the next bar sells the whole position.
            try fixture.addCandles("BTCUSDT", from: 10, closes: [110, 111])
            try fixture.addPredictions("BTCUSDT", [10: 0, 11: -0.05])
            #expect(try await harness.run("trading").state == .success)
            let fills = try ledger.fills(mode: .sandbox)
            #expect(fills.map(\.side) == [.buy, .sell] && abs(fills[1].quantity - btc) < 1e-8)
            #expect(try ledger.book(mode: .sandbox, symbol: "BTCUSDT")?.quantity == 0)
            let after = try await exchange.account()
            #expect(abs((Double(after.first { $0.asset == "BTC" }?.free ?? "") ?? 1)) < 1e-8)
            // No secret reaches a log.
            let logs = try Self.logs(fixture.home)
            #expect(!logs.contains(Self.secret) && !logs.contains(Self.key) && logs.contains("BUY"))
        }
    }

    @Test func anOrderTheExchangeRefusesIsRecordedAndABadSignatureFailsTheRun() async throws {
        let fixture = try MarketDAGFixture()
        defer { fixture.remove() }
        for symbol in ["BTCUSDT", "ETHUSDT"] {
            try fixture.addCandles(symbol, from: 0, closes: [100, 101, 102])
            try fixture.addPredictions(symbol, [0: 0, 1: 0, 2: 0.05])
        }
        let sandbox = SandboxServer(configuration: PipelineHarness.sandboxConfiguration())
        try await sandbox.withRunning { endpoints in
            let exchange: [String: String] = [
                "trading.mode": "sandbox", "trading.endpoint": endpoints.binance, "trading.api_key": Self.key,
                "trading.api_secret": Self.secret,
            ]
            // 100,000 USDT of book against 10,000 in the account: -2010, recorded; the run goes on.
            let broke = try fixture.configuration(
                Self.strategy.merging(exchange, uniquingKeysWith: { $1 }).merging(
                    ["trading.starting_cash": "100000", "trading.fraction": "1"], uniquingKeysWith: { $1 }))
            #expect(try await fixture.harness(broke).run("trading").state == .success)
            let rejected = try fixture.stores.ledger.orders(mode: .sandbox, symbol: "BTCUSDT")
            #expect(rejected.count == 1 && rejected[0].status == "rejected")
            #expect(rejected[0].message?.contains("Binance error -2010") == true, "\(rejected)")
            #expect(try fixture.stores.ledger.fills(mode: .sandbox).isEmpty)
            #expect(try fixture.stores.ledger.book(mode: .sandbox, symbol: "BTCUSDT")?.lastOpenTime == MarketDAGFixture.time(2) / 1_000)

            // A wrong secret: -1022 fails the run, books nothing, and no secret is in the log.
            let wrong = "wrong-secret-0123456789"
            let unsigned = try fixture.configuration(
                Self.strategy.merging(exchange, uniquingKeysWith: { $1 }).merging(
                    ["trading.symbols": "ETHUSDT", "trading.api_secret": wrong], uniquingKeysWith: { $1 }))
            #expect(try await fixture.harness(unsigned).run("trading").state == .failed)
            let order = try #require(try fixture.stores.ledger.orders(mode: .sandbox, symbol: "ETHUSDT").first)
            #expect(order.status == "rejected" && order.message?.contains("-1022") == true)
            #expect(try fixture.stores.ledger.book(mode: .sandbox, symbol: "ETHUSDT") == nil)
            let logs = try Self.logs(fixture.home)
            #expect(logs.contains("order \(order.clientOrderId) (BUY ETHUSDT) refused"), "\(logs)")
            #expect(!logs.contains(wrong) && !logs.contains(Self.secret) && !logs.contains(Self.key))
        }
    }

    @Test func liveModeRefusesWithoutItsConfirmationAndWithoutKeys() async throws {
        let fixture = try MarketDAGFixture()
        defer { fixture.remove() }
        func refusal(_ values: [String: String]) throws -> String? {
            do {
                _ = try TradingSettings(try fixture.configuration(values))
                return nil
            } catch { return "\(error)" }
        }
        #expect(try refusal(["trading.mode": "live"])?.hasPrefix("trading.live_confirm must be true for trading.mode live") == true)
        #expect(try refusal(["trading.mode": "live", "trading.live_confirm": "true"])?.hasPrefix("trading.api_key is empty") == true)
        #expect(
            try refusal(["trading.mode": "live", "trading.live_confirm": "true", "trading.api_key": Self.key])?
                .hasPrefix("trading.api_secret is empty") == true)
        #expect(try refusal(["trading.mode": "sandbox"])?.hasPrefix("trading.api_key is empty") == true)
        #expect(try refusal(["trading.fraction": "1.5"])?.hasPrefix("trading.fraction must be from 0 to 1") == true)
        #expect(try refusal(["trading.buy_above": "0.001", "trading.sell_below": "0.002"])?.hasPrefix("trading.sell_below") == true)
        let confirmed = try TradingSettings(
            try fixture.configuration([
                "trading.mode": "live", "trading.live_confirm": "true", "trading.api_key": Self.key, "trading.api_secret": Self.secret,
            ]))
        #expect(confirmed.liveWarning == "trading.mode is live: orders go to https://api.binance.com with real money")
        #expect(try TradingSettings(try fixture.configuration([:])).liveWarning == nil)

        // The DAG's run fails with the refusal, having sent nothing.
        try fixture.addCandles("BTCUSDT", from: 0, closes: [100, 101])
        try fixture.addPredictions("BTCUSDT", [0: 0.05, 1: 0.05])
        let harness = try await fixture.harness(
            try fixture.configuration(Self.strategy.merging(["trading.mode": "live"], uniquingKeysWith: { $1 })))
        #expect(try await harness.run("trading").state == .failed)
        #expect(try Self.logs(fixture.home).contains("trading.live_confirm must be true"))
        #expect(try fixture.stores.ledger.orders(mode: .live).isEmpty)
    }

    /// Every try log under the home, concatenated.
    static func logs(_ home: String) throws -> String {
        let root = home + "/logs"
        guard let walker = FileManager.default.enumerator(atPath: root) else { return "" }
        var text = ""
        for case let path as String in walker where path.hasSuffix(".log") {
            text += try String(contentsOfFile: root + "/" + path, encoding: .utf8)
        }
        return text
    }
}
