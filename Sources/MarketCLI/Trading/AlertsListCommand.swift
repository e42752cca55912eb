import ArgumentParser
import Foundation
import MarketPipeline
import UpdraftCLI

/// `updraft alerts list`: the stored firings, newest first.
struct AlertsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List alert firings, newest first.")

    @OptionGroup var home: HomeOptions
    @Option(help: "Only alerts for this symbol, e.g. BTCUSDT.") var symbol: String?
    @Option(help: "Only alerts on candles from this UTC date or time on (2024-01-15, 2024-01-15T10:30).") var since: UTCDateArgument?
    @Option(help: "Most alerts to list.") var limit = 100
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be positive, not \(limit).") }
    }

    func run() async throws {
        let firings = try home.marketStores().alerts.firings(symbol: symbol, since: since?.microseconds, limit: limit)
        if json { print(try ForecastingFormat.json(firings)); return }
        guard !firings.isEmpty else { print("No alerts have fired in \(try home.directory())."); return }
        print(
            ForecastingFormat.table(
                ["CANDLE", "SYMBOL", "RULE", "VALUE", "CLOSE", "MESSAGE"],
                firings.map { f in
                    [
                        ForecastingFormat.time(f.openTime), f.symbol, f.rule, ForecastingFormat.number(f.value),
                        TradingFormat.amount(f.close), f.message,
                    ]
                }))
    }
}
