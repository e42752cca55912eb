import ArgumentParser
import Foundation
import UpdraftRuntime

/// `updraft runs show RUN [--group PATH] [--depth N]`.
struct RunsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a run as a tree of tasks and groups (failures expanded).")

    @OptionGroup var engine: EngineOptions
    @OptionGroup var selection: RunSelection
    @Option(help: "Show only this group (e.g. historical.BTCUSDT).") var group: String?
    @Option(help: "Group levels to expand (deeper groups show counts per state).") var depth: Int = 1
    @Flag(help: "Print a JSON array of task instances.") var json = false

    func validate() throws { if depth < 1 { throw ValidationError("--depth must be at least 1") } }

    func run() async throws {
        let engine = try await engine.engine()
        let run = try await selection.run(in: engine)
        let instances = try await engine.store.taskInstances(run: run.key)
        if json {
            let shown = group.map { group in instances.filter { $0.taskId.hasPrefix(group + ".") } } ?? instances
            JSONOutput.print(shown.sorted { $0.taskId < $1.taskId }.map(JSONOutput.task))
            return
        }
        print(try RunShowText.render(run: run, instances: instances, group: group, depth: depth, now: engine.clock.now))
    }
}
