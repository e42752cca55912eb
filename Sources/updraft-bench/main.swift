// Release-mode benchmarks: `swift run -c release updraft-bench [engine|engine-metrics|api|ui|ingest|indicators|training|postgres|all]`.
import Foundation

let section = CommandLine.arguments.dropFirst().first ?? "all"
// A command that exits without reading its input must fail our write, not end the benchmark.
signal(SIGPIPE, SIG_IGN)
var failure: (any Error)?
do {
    if section == "indicators-once" { IndicatorBenchmark.once() }
    if section == "engine" || section == "all" { try await EngineBenchmark.run() }
    if section == "engine-metrics" || section == "all" { try await EngineMetricsBenchmark.run() }
    if section == "api" || section == "all" { try await APIBenchmark.run() }
    if section == "ui" || section == "all" { try await UIBenchmark.run() }
    if section == "ingest" || section == "all" { try await IngestBenchmark.run() }
    if section == "indicators" || section == "all" { try await IndicatorBenchmark.run() }
    if section == "training" || section == "all" { try await TrainingBenchmark.run() }
    if section == "postgres" || section == "all" { try await PostgresBenchmark.run() }
} catch {
    failure = error
}
// The homes go, a failed benchmark's too: a 100,000-task home holds 100,000 log files.
try? FileManager.default.removeItem(at: BenchCLI.temporaryRoot)
if let failure {
    FileHandle.standardError.write(Data("updraft-bench: \(failure)\n".utf8))
    exit(1)
}
