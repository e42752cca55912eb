import ArgumentParser
import UpdraftRuntime
import UpdraftStore

/// `updraft dags show DAG`.
struct DagsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a DAG's tasks, dependencies, schedule and groups.")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The DAG id.") var dagId: String
    @Flag(help: "Print a JSON array of tasks.") var json = false

    func run() async throws {
        let engine = try await engine.engine()
        let dag = try engine.registry.dag(dagId)
        if json {
            JSONOutput.print(
                dag.graph.nodes.map { node in
                    .object([
                        "task_id": .string(node.id), "group": node.group.map(JSONValue.string) ?? .null,
                        "operator": .string(node.kind.name), "upstream_task_ids": .array(node.upstream.map(JSONValue.string)),
                        "trigger_rule": .string(node.options.triggerRule.rawValue), "retries": .number(Double(node.options.retry.retries)),
                        "pool": .string(node.options.pool), "pool_slots": .number(Double(node.options.poolSlots)),
                        "priority_weight": .number(Double(node.options.priority)),
                        "execution_timeout": node.options.executionTimeout.map { .number($0.seconds) } ?? .null,
                        "queue": .string(node.options.queue),
                        "outlets": .array(node.options.outlets.map { .string($0.uri) }),
                    ])
                })
            return
        }
        print("DAG \(dag.id): \(dag.description)")
        print("schedule: \(dag.scheduleText ?? "none")  start: \(RunIdentifier.timestamp(dag.startDate))  catchup: \(dag.catchup)")
        let lastRun = try await engine.store.runs(RunQuery(dagId: dag.id, limit: 1)).first
        print(
            "next run: \(try await engine.nextRunDescription(of: dag.id))  last run: "
                + (lastRun.map { "\($0.runId) (\($0.state.rawValue))" } ?? "-") + (dag.failFast ? "  fail fast" : ""))
        print("max active runs: \(dag.maxActiveRuns)  max active tasks: \(dag.maxActiveTasks)  tags: \(dag.tags.joined(separator: ", "))")
        if !dag.params.isEmpty {
            print("params: " + dag.params.map { "\($0.name) (\($0.kind.rawValue), default \($0.defaultValue))" }.joined(separator: ", "))
        }
        if !dag.graph.groups.isEmpty { print("groups: \(dag.graph.groups.joined(separator: ", "))") }
        var table = Columns(["TASK", "KIND", "TRIGGER RULE", "RETRIES", "UPSTREAM"])
        for node in dag.graph.nodes {
            table.add([
                node.id, node.isFactory ? "factory (built at run time)" : node.kind.name,
                node.options.triggerRule.rawValue, "\(node.options.retry.retries)",
                node.upstream.joined(separator: ", "),
            ])
        }
        print(table.text)
    }
}
