import ArgumentParser
import UpdraftRuntime
import UpdraftStore

/// `updraft runs list [--dag] [--state] [--limit]`.
struct RunsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List runs, newest first.")

    @OptionGroup var engine: EngineOptions
    @Option(help: "Only runs of this DAG.") var dag: String?
    @Option(help: "Only runs in this state (queued, running, success, failed).") var state: String?
    @Option(help: "At most this many runs.") var limit: Int = 20
    @Flag(help: "Print a JSON array.") var json = false

    func validate() throws {
        if let state, RunState(rawValue: state) == nil {
            throw ValidationError("--state must be one of \(RunState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let engine = try await engine.engine()
        let states = state.flatMap(RunState.init(rawValue:)).map { Set([$0]) }
        let runs = try await engine.store.runs(RunQuery(dagId: dag, states: states, limit: limit))
        if json {
            var rows: [JSONValue] = []
            for run in runs { rows.append(JSONOutput.run(run, consumed: try await engine.store.assetEvents(consumedBy: run.key))) }
            JSONOutput.print(rows)
            return
        }
        var table = Columns(["DAG", "RUN ID", "STATE", "TYPE", "TRIGGERED BY", "LOGICAL DATE", "DURATION"])
        for run in runs {
            let duration = run.startDate.map { (run.endDate ?? engine.clock.now).timeIntervalSince($0) }
            table.add([
                run.dagId, run.runId, run.state.rawValue, run.runType.rawValue, run.triggeredBy.rawValue,
                RunIdentifier.timestamp(run.logicalDate), durationText(duration),
            ])
        }
        print(table.text)
    }
}
