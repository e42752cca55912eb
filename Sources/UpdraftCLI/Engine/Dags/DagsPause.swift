import ArgumentParser
import UpdraftRuntime

/// `updraft dags pause DAG`.
struct DagsPause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Pause a DAG: the scheduler creates and starts none of its runs.")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The DAG id.") var dagId: String

    func run() async throws { try await setPaused(engine, dagId, true) }
}

/// `updraft dags unpause DAG`.
struct DagsUnpause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unpause", abstract: "Unpause a DAG: the scheduler runs it again.")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The DAG id.") var dagId: String

    func run() async throws { try await setPaused(engine, dagId, false) }
}

func setPaused(_ options: EngineOptions, _ dagId: String, _ paused: Bool) async throws {
    let engine = try await options.engine()
    try await engine.setPaused(dagId, paused, owner: CLIUser.name)
    await engine.wakeScheduler()
    print("DAG \(dagId) \(paused ? "paused" : "unpaused")")
}
