import ArgumentParser
import Foundation
import MarketPipeline
import UpdraftCLI

/// `updraft pnl`: the ledger's equity curve summarised per symbol and in total.
struct PnLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pnl", abstract: "Show the trading ledger's profit and loss against buy and hold.")

    @OptionGroup var home: HomeOptions
    @OptionGroup var mode: TradingModeOption
    @Option(help: "Only this symbol, e.g. BTCUSDT.") var symbol: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let mode = try mode.resolve(home)
        let report = try TradingReport.ledger(mode: mode, symbol: symbol, stores: try home.marketStores())
        if json { print(try ForecastingFormat.json(report)); return }
        guard !report.symbols.isEmpty else { print("No \(mode.rawValue) trading in \(try home.directory())."); return }
        print("Ledger: \(mode.rawValue) (Sharpe of per-bar returns × √525,600; buy and hold without costs)")
        print(TradingFormat.report(report))
    }
}
