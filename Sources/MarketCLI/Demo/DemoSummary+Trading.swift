import Foundation
import MarketPipeline
import UpdraftCLI

/// The demo's closing lines on market alerts and paper trading: how many alerts fired (the
/// newest few), and the paper ledger's fills and profit and loss.
struct DemoTradingSummary {
    let stores: MarketStores

    func render() throws -> String {
        let alerts = try stores.alerts.firings(limit: 100_000)
        var lines = ["Market alerts: \(alerts.count) fired (rules: \(DemoSettings.alertRules.joined(separator: "; ")))"]
        var table = TextTable(["CANDLE", "SYMBOL", "RULE", "MESSAGE"])
        for firing in alerts.prefix(5) {
            table.append([ForecastingFormat.time(firing.openTime), firing.symbol, firing.rule, firing.message])
        }
        if !alerts.isEmpty { lines.append(String(table.render().dropLast())) }
        lines.append("")
        let fills = try stores.ledger.fills(mode: .paper)
        lines.append("Paper trading: \(fills.count) fills")
        if !fills.isEmpty {
            lines.append(TradingFormat.report(try TradingReport.ledger(mode: .paper, symbol: nil, stores: stores)))
        }
        lines.append("See them with: updraft alerts list, updraft trades list, updraft pnl")
        return lines.joined(separator: "\n")
    }
}
