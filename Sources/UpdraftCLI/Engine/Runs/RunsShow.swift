import ArgumentParser
import Foundation
import UpdraftRuntime

/// `updraft runs show RUN [--group PATH] [--depth N]`.
struct RunsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a run as a tree of tasks and groups (failures expanded), with its upstream and downstream runs.")

    @OptionGroup var engine: EngineOptions
    @OptionGroup var selection: RunSelection
    @Option(help: "Show only this group (e.g. historical.BTCUSDT).") var group: String?
    @Option(help: "Group levels to expand (deeper groups show counts per state).") var depth: Int = 1
    @Flag(help: "Print the run as a JSON object: its fields, consumed_asset_events, upstream and downstream runs, task_instances.")
    var json = false

    func validate() throws { if depth < 1 { throw ValidationError("--depth must be at least 1") } }

    func run() async throws {
        let engine = try await engine.engine()
        let run = try await selection.run(in: engine)
        let instances = try await engine.store.taskInstances(run: run.key)
        let consumed = try await engine.store.assetEvents(consumedBy: run.key)
        let upstream = try await engine.upstreamRuns(of: run.key)
        let downstream = try await engine.downstreamRuns(of: run.key)
        if json {
            let shown = group.map { group in instances.filter { $0.taskId.hasPrefix(group + ".") } } ?? instances
            guard case .object(var fields) = JSONOutput.run(run, consumed: consumed) else { return }
            fields["upstream_runs"] = .array(upstream.map(JSONOutput.runKey))
            fields["downstream_runs"] = .array(downstream.map(JSONOutput.runKey))
            fields["task_instances"] = .array(shown.sorted { $0.taskId < $1.taskId }.map(JSONOutput.task))
            JSONOutput.print(.object(fields))
            return
        }
        print(try RunShowText.render(run: run, instances: instances, group: group, depth: depth, now: engine.clock.now))
        let lineage = RunShowText.lineage(
            run: run, consumed: consumed, upstream: upstream, downstream: downstream,
            runLog: engine.home.runLogLines(dagId: run.dagId, runId: run.runId))
        if !lineage.isEmpty { print(lineage) }
    }
}
