import ArgumentParser
import Forecasting
import Foundation
import UpdraftCLI

/// `updraft predictions list`: the newest predictions, with what happened once matured.
struct PredictionsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List predictions, newest first.")

    @OptionGroup var home: HomeOptions
    @Option(help: "Only predictions for this symbol, e.g. BTCUSDT.") var symbol: String?
    @Option(help: "Most predictions to list.") var limit = 50
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be positive, not \(limit).") }
    }

    func run() async throws {
        let predictions = try home.registry().predictions(symbol: symbol, limit: limit)
        if json { print(try ForecastingFormat.json(predictions)); return }
        guard !predictions.isEmpty else { print("No predictions in \((try home.directory()))."); return }
        let f = ForecastingFormat.self
        print(
            f.table(
                ["SYMBOL", "TIME", "HORIZON", "MODEL", "PREDICTION", "REALISED", "ERROR"],
                predictions.map { p in
                    [
                        p.symbol, f.time(p.time), "\(p.horizonMinutes)m", p.modelVersion, f.number(p.prediction),
                        p.realised.map(f.number) ?? "pending", p.realised.map { f.number(p.prediction - $0) } ?? "-",
                    ]
                }))
    }
}
