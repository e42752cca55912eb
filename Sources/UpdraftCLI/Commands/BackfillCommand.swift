import ArgumentParser
import Foundation
import UpdraftRuntime

/// `updraft backfill DAG --from DATE --to DATE [--max-active-runs N]`.
struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Create one run per data interval over a date range and run them here."
    )

    @OptionGroup var engine: EngineOptions
    @OptionGroup var execution: ExecutionOptions
    @Argument(help: "The DAG id.") var dagId: String
    @Option(help: "First logical date (ISO 8601, UTC).") var from: String
    @Option(help: "Last logical date (inclusive).") var to: String
    @Option(name: .customLong("max-active-runs"), help: "Runs executed at once.") var maxActiveRuns: Int = 4
    @Option(help: "Conf for every run (a JSON object).") var conf: String?

    func validate() throws { if maxActiveRuns < 1 { throw ValidationError("--max-active-runs must be at least 1") } }

    func run() async throws {
        let engine = try await engine.engine()
        let start = try DateArgument.parse(from, option: "--from")
        let end = try DateArgument.parse(to, option: "--to")
        guard start <= end else { throw CLIError.usage("--from \(from) is after --to \(to)") }
        var confObject: [String: JSONValue] = [:]
        if let conf { confObject = try ConfArgument.parse(conf) }
        _ = try engine.registry.dag(dagId).resolveParams(confObject)
        let executor = try await execution.executor()
        let interactive = isatty(STDERR_FILENO) == 1
        let runs: [DAGRun]
        do {
            runs = try await engine.backfill(dagId: dagId, from: start, to: end, maxActiveRuns: maxActiveRuns,
                                             conf: confObject, executor: executor) { progress in
                let line = "backfill \(dagId): \(progress.done)/\(progress.total) runs done "
                    + "(\(progress.succeeded) success, \(progress.failed) failed), \(progress.running) running"
                FileHandle.standardError.write(Data((interactive ? "\r\(line)\u{1B}[K" : line + "\n").utf8))
            }
        } catch {
            await executor.shutdown()
            throw error
        }
        await executor.shutdown()
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
        let failed = runs.filter { $0.state != .success }
        print("\(runs.count) run(s): \(runs.count - failed.count) success, \(failed.count) failed")
        for run in failed { print("failed: \(run.runId)") }
        if !failed.isEmpty { throw CLIError.failed("\(failed.count) backfill run(s) failed") }
    }
}
