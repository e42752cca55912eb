import ArgumentParser
import UpdraftRuntime
import UpdraftStore

/// `updraft dags list`.
struct DagsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the DAGs of this binary.")

    @OptionGroup var engine: EngineOptions
    @Flag(help: "Print a JSON array.") var json = false

    func run() async throws {
        let engine = try await engine.engine()
        let paused = await Dictionary(try engine.store.dagEntries().map { ($0.dagId, $0.isPaused) }, uniquingKeysWith: { $1 })
        let dags = engine.registry.ids.map { engine.registry.dags[$0]! }
        var next: [String: String] = [:]
        var last: [String: DAGRun] = [:]
        for dag in dags {
            next[dag.id] = try await engine.nextRunDescription(of: dag.id)
            last[dag.id] = try await engine.store.runs(RunQuery(dagId: dag.id, limit: 1)).first
        }
        if json {
            JSONOutput.print(
                dags.map { dag in
                    .object([
                        "dag_id": .string(dag.id), "is_paused": .bool(paused[dag.id] ?? false),
                        "timetable_summary": dag.scheduleText.map(JSONValue.string) ?? .null,
                        "tags": .array(dag.tags.map(JSONValue.string)), "description": .string(dag.description),
                        "max_active_runs": .number(Double(dag.maxActiveRuns)),
                        "max_active_tasks": .number(Double(dag.maxActiveTasks)),
                        "asset_expression": dag.assetCondition.map { .string($0.description) } ?? .null,
                        "next_run": .string(next[dag.id] ?? "-"),
                        "last_run": last[dag.id].map(JSONOutput.run) ?? .null,
                    ])
                })
            return
        }
        var table = Columns(["DAG", "SCHEDULE", "PAUSED", "NEXT RUN", "LAST RUN", "TAGS", "DESCRIPTION"])
        for dag in dags {
            let lastText = last[dag.id].map { "\($0.runId) (\($0.state.rawValue))" } ?? "-"
            table.add([
                dag.id, dag.scheduleText ?? (dag.assetCondition == nil ? "none" : "assets"),
                (paused[dag.id] ?? false) ? "yes" : "no", next[dag.id] ?? "-", lastText,
                dag.tags.joined(separator: ","), dag.description,
            ])
        }
        print(table.text)
    }
}
