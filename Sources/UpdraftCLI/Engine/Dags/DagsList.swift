import ArgumentParser
import UpdraftRuntime

/// `updraft dags list`.
struct DagsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the DAGs of this binary.")

    @OptionGroup var engine: EngineOptions
    @Flag(help: "Print a JSON array.") var json = false

    func run() async throws {
        let engine = try await engine.engine()
        let paused = await Dictionary(try engine.store.dagEntries().map { ($0.dagId, $0.isPaused) }, uniquingKeysWith: { $1 })
        let dags = engine.registry.ids.map { engine.registry.dags[$0]! }
        if json {
            JSONOutput.print(dags.map { dag in
                .object([
                    "dag_id": .string(dag.id), "is_paused": .bool(paused[dag.id] ?? false),
                    "timetable_summary": dag.scheduleText.map(JSONValue.string) ?? .null,
                    "tags": .array(dag.tags.map(JSONValue.string)), "description": .string(dag.description),
                    "max_active_runs": .number(Double(dag.maxActiveRuns)),
                    "max_active_tasks": .number(Double(dag.maxActiveTasks)),
                ])
            })
            return
        }
        var table = Columns(["DAG", "SCHEDULE", "PAUSED", "TAGS", "DESCRIPTION"])
        for dag in dags {
            table.add([dag.id, dag.scheduleText ?? "none", (paused[dag.id] ?? false) ? "yes" : "no",
                       dag.tags.joined(separator: ","), dag.description])
        }
        print(table.text)
    }
}
