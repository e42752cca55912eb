import ArgumentParser
import UpdraftRuntime

/// `updraft backfill pause ID`.
struct BackfillPause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Pause a backfill: it creates and starts no run until unpaused.")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The backfill id.") var id: Int64

    func run() async throws { try await setBackfillPaused(engine, id, true) }
}

/// `updraft backfill unpause ID`.
struct BackfillUnpause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unpause", abstract: "Unpause a backfill: the scheduler drives it again.")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The backfill id.") var id: Int64

    func run() async throws { try await setBackfillPaused(engine, id, false) }
}

func setBackfillPaused(_ options: EngineOptions, _ id: Int64, _ paused: Bool) async throws {
    let engine = try await options.engine()
    let backfill = try await engine.setBackfillPaused(id: id, paused)
    await engine.wakeScheduler()
    print("backfill \(id) of \(backfill.dagId) \(paused ? "paused" : "unpaused")")
}
