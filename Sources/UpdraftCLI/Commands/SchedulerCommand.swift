import ArgumentParser
import UpdraftRuntime

/// `updraft scheduler`: Run the long-running scheduler.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Run the scheduler: create due runs and execute them until SIGTERM or SIGINT."
    )

    @OptionGroup var engine: EngineOptions
    @OptionGroup var execution: ExecutionOptions

    func run() async throws {
        let engine = try await engine.engine()
        if let other = try await engine.liveScheduler() {
            throw CLIError.usage("a scheduler is already running (\(other)) for \(engine.home.root)")
        }
        let execution = self.execution
        try await SchedulerService.runUntilSignalled(engine: engine) { try await execution.executor() }
    }
}
