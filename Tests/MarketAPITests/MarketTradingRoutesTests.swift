import Foundation
import HTTPTypes
import HummingbirdTesting
import MarketData
import MarketPipeline
import Testing

/// `/api/market/v1/alerts`, `/trades` and `/pnl` over a home whose alerts and paper ledger the
/// test wrote, and their place in the OpenAPI document.
@Suite struct MarketTradingRoutesTests {
    static let t0 = UTCCalendar.microseconds(year: 2024, month: 3, day: 10)

    static func harness() throws -> MarketAPIHarness {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-market-trading-\(UUID().uuidString)").path
        let stores = try MarketStores(home: home)
        let rule = try AlertRuleSyntax.parse(["rsi_above level=70 name=hot"])[0]
        for (symbol, minute) in [("BTCUSDT", 5), ("ETHUSDT", 7)] {
            let firing = AlertFiring(
                rule: "hot", symbol: symbol, openTime: (t0 + Int64(minute) * 60_000_000) / 1_000, close: 101.5, value: 72.5,
                message: "\(symbol): RSI crossed above 70 (72.5)")
            _ = try stores.alerts.record(
                symbol: symbol, states: [(rule, AlertArmState(armed: false))], firings: [(rule, firing)], runId: "r1", now: Date())
        }
        var book = PaperBook(startingCash: 1_000)
        let strategy = TradingStrategy(buyAbove: 0.01, sellBelow: -0.01, fractionOfEquity: 0.5, feeRate: 0, slippage: 0)
        let bars = [
            TradingBar(openTime: t0 / 1_000, open: 100, close: 100, prediction: 0.02),
            TradingBar(openTime: t0 / 1_000 + 60_000, open: 100, close: 110),
        ]
        var fills: [TradingLedger.Fill] = [], orders: [TradingLedger.Order] = [], equity: [TradingLedger.Equity] = []
        for bar in bars {
            let decided = book.pending?.decidedAt ?? 0
            if let fill = book.open(bar, strategy) {
                let id = TradingLedger.clientOrderId(symbol: "BTCUSDT", decidedAt: decided)
                orders.append(
                    TradingLedger.Order(
                        mode: .paper, symbol: "BTCUSDT", decidedAt: decided * 1_000, clientOrderId: id, side: .buy, reason: .signal,
                        status: "filled"))
                fills.append(
                    TradingLedger.Fill(
                        mode: .paper, symbol: "BTCUSDT", clientOrderId: id, time: bar.openTime * 1_000, side: .buy, quantity: fill.quantity,
                        price: fill.price, fee: 0, reason: .signal))
            }
            let point = book.close(bar, strategy)
            equity.append(
                TradingLedger.Equity(
                    openTime: bar.openTime * 1_000, close: bar.close, cash: point.cash, quantity: point.quantity, equity: point.equity))
        }
        try stores.ledger.commit(mode: .paper, symbol: "BTCUSDT", book: book, orders: orders, fills: fills, equity: equity)
        return MarketAPIHarness(home: home, stores: stores, dayCSV: [])
    }

    @Test func alertsTradesAndPnLAreTheStoredOnes() async throws {
        let harness = try Self.harness()
        defer { try? FileManager.default.removeItem(atPath: harness.home) }
        try await harness.withServer { api in
            let alerts = try await api.json("/api/market/v1/alerts")
            let items = try #require(alerts["alerts"] as? [[String: Any]])
            #expect(alerts["total_entries"] as? Int == 2 && items.map { $0["symbol"] as? String } == ["ETHUSDT", "BTCUSDT"])
            #expect(items[1]["open_time"] as? String == "2024-03-10T00:05:00Z" && items[1]["rule"] as? String == "hot")
            #expect(items[1]["condition"] as? String == "rsi_above level=70" && items[1]["value"] as? Double == 72.5)
            let btc = try await api.json("/api/market/v1/alerts?symbol=btcusdt&from=2024-03-10T00:01:00Z")
            #expect(btc["total_entries"] as? Int == 1)
            #expect(try await api.json("/api/market/v1/alerts?from=2024-03-10T00:06:00Z")["total_entries"] as? Int == 1)

            let trades = try await api.json("/api/market/v1/trades")
            let trade = try #require((trades["trades"] as? [[String: Any]])?.first)
            #expect(trades["mode"] as? String == "paper" && trades["total_entries"] as? Int == 1)
            #expect(trade["side"] as? String == "BUY" && trade["status"] as? String == "filled")
            let fill = try #require(trade["fill"] as? [String: Any])
            #expect(
                fill["price"] as? Double == 100 && fill["quantity"] as? Double == 5 && fill["time"] as? String == "2024-03-10T00:01:00Z")
            #expect(try await api.json("/api/market/v1/trades?mode=sandbox")["total_entries"] as? Int == 0)

            let pnl = try await api.json("/api/market/v1/pnl")
            let line = try #require((pnl["symbols"] as? [[String: Any]])?.first)
            // 500 USDT bought 5 BTC at 100; at 110 the book is worth 500 + 550.
            #expect(abs((line["equity"] as? Double ?? 0) - 1_050) < 1e-9 && abs((line["total_return"] as? Double ?? 0) - 0.05) < 1e-12)
            #expect(
                line["fills"] as? Int == 1 && line["bars"] as? Int == 2 && abs((line["buy_and_hold_return"] as? Double ?? 0) - 0.1) < 1e-12)
            #expect(pnl["total"] is NSNull)
            let refused = try await api.get("/api/market/v1/trades?mode=real")
            #expect(refused.status == .unprocessableContent || refused.status == .badRequest)

            let document = try await api.json("/openapi.json")
            let paths = try #require(document["paths"] as? [String: Any])
            for path in ["/api/market/v1/alerts", "/api/market/v1/trades", "/api/market/v1/pnl"] { #expect(paths[path] != nil, "\(path)") }
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
            for name in ["MarketAlertCollectionResponse", "MarketTradeCollectionResponse", "MarketPnLResponse"] {
                #expect(schemas?[name] != nil, "\(name)")
            }
            #expect(try await api.get("/api/market/v1/pnl", authorized: false).status == .unauthorized)
        }
    }
}
