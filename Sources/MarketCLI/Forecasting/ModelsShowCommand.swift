import ArgumentParser
import Forecasting
import Foundation
import MarketData
import UpdraftCLI

/// `updraft models show ID`: one model version in detail, validation next to the baseline and live metrics.
struct ModelsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one model version in detail.")

    @OptionGroup var home: HomeOptions
    @Argument(help: "Model version id, e.g. BTCUSDT-60m-gbt-v1.") var id: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let registry = try home.registry()
        let m = try registry.model(id: id)
        let report = ModelReport(
            model: m, best: try registry.bestModelIDs().contains(m.id),
            live: try registry.liveMetrics(modelVersion: m.id)?.metrics)
        if json { print(try ForecastingFormat.json(report)); return }
        let f = ForecastingFormat.self
        var lines = [
            "Model \(m.id)\(report.best ? " (best for \(m.symbol) \(m.interval.rawValue) \(m.horizonMinutes)m)" : "")",
            "  symbol:        \(m.symbol), interval \(m.interval.rawValue), horizon \(m.horizonMinutes)m",
            "  kind:          \(m.kind.rawValue), version \(m.version), run \(m.trainingRun)",
            "  trained:       \(f.time(m.createdAt))",
            "  window:        \(f.time(m.trainStart)) → \(f.time(m.trainEnd)) (\(m.trainRows) rows)",
            "  fingerprint:   \(m.dataFingerprint)",
            "  artifact:      \(m.artifactPath) (\(m.artifactChecksum))",
            "  features (\(m.features.count)): \(m.features.joined(separator: ", "))",
            "  parameters:    \(m.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))",
            "",
        ]
        var header = ["METRIC", "VALIDATION", "ZERO_BASELINE"]
        if report.live != nil { header.append("LIVE") }
        func row(_ name: String, _ value: (ForecastMetrics) -> String) -> [String] {
            [name, value(m.validation), value(m.baseline)] + (report.live.map { [value($0)] } ?? [])
        }
        lines.append(
            f.table(
                header,
                [
                    row("rows") { "\($0.count)" },
                    row("mse") { f.number($0.mse) },
                    row("mae") { f.number($0.mae) },
                    row("r2") { String(format: "%.4f", $0.r2) },
                    row("directional") { String(format: "%.3f", $0.directionalAccuracy) },
                ]))
        if let live = report.live, m.validation.mse > 0 {
            lines.append(
                "\nDrift: live MSE is \(String(format: "%.2f", live.mse / m.validation.mse))× the validation MSE over \(live.count) scored predictions."
            )
        } else if report.live == nil {
            lines.append("\nNo matured predictions scored yet.")
        }
        print(lines.joined(separator: "\n"))
    }
}
