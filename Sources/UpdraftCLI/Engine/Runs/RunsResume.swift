import ArgumentParser
import UpdraftRuntime

/// `updraft runs resume RUN`.
struct RunsResume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Wait for a run to end, executing it here when no live process does (a dead owner's run is taken over).")

    @OptionGroup var engine: EngineOptions
    @OptionGroup var execution: ExecutionOptions
    @OptionGroup var selection: RunSelection

    func run() async throws {
        let engine = try await engine.engine()
        let run = try await selection.run(in: engine)
        let state =
            run.state.isTerminal
            ? run.state
            : try await RunWaiter(engine: engine, execution: execution, delivery: try self.engine.delivery(store: engine.store)).wait(
                for: run.key,
                schedulerAlive: await engine.wakeScheduler())
        print("run \(run.runId) of \(run.dagId) ended \(state.rawValue)")
        if state != .success { throw CLIError.failed("run \(run.runId) ended \(state.rawValue)") }
    }
}
