import ArgumentParser
import Foundation
import UpdraftRuntime
import UpdraftStore

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
        let started = Date()
        let store = engine.store
        let dagId = self.dagId
        let runs: [DAGRun]
        do {
            // On a terminal: tasks done of total over the backfill's runs, the busiest group, the rate.
            runs = try await ProgressDisplay().following(line: {
                let runs = try await store.runs(RunQuery(dagId: dagId))
                    .filter { $0.runType == .backfill && $0.queuedAt >= started }
                var instances: [TaskInstance] = []
                for run in runs { instances += try await store.taskInstances(run: run.key) }
                let ended = runs.filter(\.state.isTerminal).count
                return ProgressLine(
                    label: "backfill \(dagId) \(ended)/\(runs.count) runs", instances: instances,
                    elapsed: Date().timeIntervalSince(started)
                ).text
            }) {
                try await engine.backfill(
                    dagId: dagId, from: start, to: end, maxActiveRuns: maxActiveRuns,
                    conf: confObject, executor: executor
                ) { _ in }
            }
        } catch {
            await executor.shutdown()
            throw error
        }
        await executor.shutdown()
        let failed = runs.filter { $0.state != .success }
        print("\(runs.count) run(s): \(runs.count - failed.count) success, \(failed.count) failed")
        for run in failed { print("failed: \(run.runId)") }
        if !failed.isEmpty { throw CLIError.failed("\(failed.count) backfill run(s) failed") }
    }
}
