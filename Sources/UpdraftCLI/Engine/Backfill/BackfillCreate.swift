import ArgumentParser
import Foundation
import UpdraftRuntime
import UpdraftStore

/// `updraft backfill create DAG --from DATE --to DATE [--max-active-runs N] [--conf JSON]
/// [--reprocess-behavior none|failed|completed] [--run-backwards] [--wait]`.
struct BackfillCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a backfill over a range of logical dates and print its id; the scheduler runs it.")

    @OptionGroup var engine: EngineOptions
    @OptionGroup var execution: ExecutionOptions
    @Argument(help: "The DAG id.") var dagId: String
    @Option(help: "First logical date (ISO 8601, UTC).") var from: String
    @Option(help: "Last logical date (inclusive).") var to: String
    @Option(name: .customLong("max-active-runs"), help: "Runs of the backfill queued or running at once.")
    var maxActiveRuns: Int = BackfillRecord.defaultMaxActiveRuns
    @Option(help: "Conf for every run (a JSON object), checked against the DAG's params.") var conf: String?
    @Option(
        name: .customLong("reprocess-behavior"),
        help: "Dates that already have a run: none (leave them), failed (re-run the failed ones), completed (re-run all).")
    var reprocessBehavior: String = ReprocessBehavior.none.rawValue
    @Flag(name: .customLong("run-backwards"), help: "Newest logical date first.") var runBackwards = false
    @Flag(help: "Follow the backfill until it completes (exit 1 if a run failed); runs it here when no scheduler is alive.")
    var wait = false

    func validate() throws {
        if maxActiveRuns < 1 { throw ValidationError("--max-active-runs must be at least 1") }
        if ReprocessBehavior(rawValue: reprocessBehavior) == nil {
            throw ValidationError("--reprocess-behavior must be none, failed or completed, got '\(reprocessBehavior)'")
        }
    }

    func run() async throws {
        let engine = try await engine.engine()
        let start = try DateArgument.parse(from, option: "--from")
        let end = try DateArgument.parse(to, option: "--to")
        guard start <= end else { throw CLIError.usage("--from \(from) is after --to \(to)") }
        var confObject: [String: JSONValue] = [:]
        if let conf { confObject = try ConfArgument.parse(conf) }
        let backfill = try await engine.createBackfill(
            dagId: dagId, from: start, to: end, runBackwards: runBackwards, conf: confObject,
            reprocess: ReprocessBehavior(rawValue: reprocessBehavior)!, maxActiveRuns: maxActiveRuns,
            user: CLIUser.name)
        print(backfill.id)
        let schedulerAlive = await engine.wakeScheduler()
        guard wait else {
            if !schedulerAlive {
                let note =
                    "backfill \(backfill.id) is created, but no scheduler is running, so nothing creates or runs "
                    + "its runs (start `updraft scheduler`, or create it with --wait to run it here)\n"
                FileHandle.standardError.write(Data(note.utf8))
            }
            return
        }
        let waiter = BackfillWaiter(engine: engine, execution: execution)
        let progress = try await waiter.wait(for: backfill.id, schedulerAlive: schedulerAlive)
        print(
            "backfill \(backfill.id) of \(dagId) completed: \(progress.created) run(s): \(progress.succeeded) success, "
                + "\(progress.failed) failed; \(progress.skipped) date(s) left to existing runs")
        if progress.failed > 0 { throw CLIError.failed("\(progress.failed) run(s) of backfill \(backfill.id) failed") }
    }
}
