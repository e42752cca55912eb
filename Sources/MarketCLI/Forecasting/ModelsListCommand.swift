import ArgumentParser
import Forecasting
import Foundation
import MarketData
import UpdraftCLI

/// `updraft models list`: every registered model version.
struct ModelsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List registered model versions.")

    @OptionGroup var home: HomeOptions
    @Option(help: "Only models of this symbol, e.g. BTCUSDT.") var symbol: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let registry = try home.registry()
        let best = try registry.bestModelIDs()
        let reports = try registry.models(symbol: symbol).map { record in
            ModelReport(
                model: record, best: best.contains(record.id),
                live: try registry.liveMetrics(modelVersion: record.id)?.metrics)
        }
        if json { print(try ForecastingFormat.json(reports)); return }
        guard !reports.isEmpty else { print("No models in \((try home.directory()))."); return }
        let rows = reports.map { r -> [String] in
            let m = r.model
            return [
                m.id, m.symbol, m.interval.rawValue, "\(m.horizonMinutes)m", m.kind.rawValue, ForecastingFormat.time(m.createdAt),
                "\(m.trainRows)",
                ForecastingFormat.number(m.validation.mse), ForecastingFormat.number(m.baseline.mse),
                String(format: "%.4f", m.validation.r2), String(format: "%.3f", m.validation.directionalAccuracy),
                r.live.map { "\($0.count)" } ?? "-", r.live.map { ForecastingFormat.number($0.mse) } ?? "-",
                r.best ? "*" : "",
            ]
        }
        print(
            ForecastingFormat.table(
                [
                    "ID", "SYMBOL", "INTERVAL", "HORIZON", "KIND", "TRAINED", "ROWS", "VAL_MSE", "ZERO_MSE", "VAL_R2",
                    "VAL_DIR", "LIVE_N", "LIVE_MSE", "BEST",
                ], rows))
    }
}
