import ArgumentParser
import Foundation
import MarketData
import MarketPipeline
import UpdraftCLI

/// `updraft backtest`: the configured strategy over stored candles and predictions, with the
/// paper fill rule; writes nothing.
struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest", abstract: "Run the trading strategy over stored candles with the paper fill rule.")

    @OptionGroup var home: HomeOptions
    @Option(help: "First UTC date or time (2024-01-15, 2024-01-15T10:30).") var from: UTCDateArgument
    @Option(help: "End, exclusive (a date means its midnight).") var to: UTCDateArgument
    @Option(help: "Only this symbol (default: trading.symbols, else every pair with candles).") var symbol: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard from.microseconds < to.microseconds else { throw ValidationError("--from must be before --to.") }
    }

    func run() async throws {
        let configuration = try home.configuration()
        let strategy: TradingStrategy
        do { strategy = try TradingSettings.strategy(configuration) } catch { throw CLIError.usage("\(error)") }
        let stores = try home.marketStores()
        let horizon = configuration[.modelsHorizonMinutes]
        let chosen = configuration[.tradingSymbols]
        let symbols =
            try symbol.map { [$0] }
            ?? (chosen.isEmpty ? stores.warehouse.stats().filter { $0.interval == .oneMinute }.map(\.symbol) : chosen)
        var results: [(symbol: String, result: TradingResult)] = []
        for symbol in symbols {
            let result = try Backtest.run(
                symbol: symbol, from: from.microseconds, to: to.microseconds, strategy: strategy,
                startingCash: configuration[.tradingStartingCash], stores: stores, horizonMinutes: horizon)
            if !result.equity.isEmpty { results.append((symbol, result)) }
        }
        let report = TradingReport.make(mode: "backtest", results)
        if json { print(try ForecastingFormat.json(report)); return }
        guard !report.symbols.isEmpty else {
            print("No candles between \(ForecastingFormat.time(from.microseconds)) and \(ForecastingFormat.time(to.microseconds)).")
            return
        }
        print("Backtest of the trading.* strategy with the paper rule (fills at the next open, fees and slippage)")
        print(TradingFormat.report(report))
    }
}
