import ArgumentParser
import UpdraftRuntime
import UpdraftStore

/// `updraft backfill cancel ID`.
struct BackfillCancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a backfill: no run is created any more, its queued runs fail, running ones finish.")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The backfill id.") var id: Int64

    func run() async throws {
        let engine = try await engine.engine()
        let backfill = try await engine.cancelBackfill(id: id)
        await engine.wakeScheduler()
        let progress = try await engine.backfillPlan(backfill).progress
        print(
            "backfill \(id) of \(backfill.dagId) cancelled: \(progress.succeeded) success, \(progress.failed) failed, "
                + "\(progress.running) still running")
    }
}
