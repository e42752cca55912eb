import ArgumentParser
import UpdraftRuntime

/// `updraft tasks clear RUN TASK [--downstream] [--upstream] [--failed-only]`.
struct TasksClear: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear", abstract: "Clear tasks so they run again (the scheduler, or this command, re-runs them).")

    @OptionGroup var engine: EngineOptions
    @OptionGroup var execution: ExecutionOptions
    @OptionGroup var selection: RunSelection
    @Argument(help: "The task id.") var taskId: String
    @Flag(help: "Also clear every task after it.") var downstream = false
    @Flag(help: "Also clear every task before it.") var upstream = false
    @Flag(name: .customLong("failed-only"), help: "Only clear tasks that failed or are upstream_failed.") var failedOnly = false
    @Flag(name: .customLong("no-wait"), help: "Only clear; do not run the run here when no scheduler is alive.")
    var noWait = false

    func run() async throws {
        let engine = try await engine.engine()
        let key = try await selection.run(in: engine).key
        let runId = key.runId
        let cleared = try await engine.clear(
            run: key, taskIds: [taskId], downstream: downstream, upstream: upstream,
            failedOnly: failedOnly, owner: CLIUser.name)
        print("cleared \(cleared.count) task(s): \(cleared.joined(separator: ", "))")
        guard !cleared.isEmpty else { return }
        if await engine.wakeScheduler() { print("the scheduler re-runs them"); return }
        if noWait { print("run \(runId) is queued; start `updraft scheduler` to re-run them"); return }
        let state = try await RunWaiter(engine: engine, execution: execution, delivery: try self.engine.delivery(store: engine.store))
            .execute(key)
        print("run \(runId) ended \(state.rawValue)")
        if state != .success { throw CLIError.failed("run \(runId) ended \(state.rawValue)") }
    }
}
