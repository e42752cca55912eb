import ArgumentParser
import Foundation
import UpdraftRuntime

/// `updraft dags trigger DAG [--conf JSON] [--logical-date ISO8601] [--wait]`.
struct DagsTrigger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger", abstract: "Create a run of a DAG and print its run id.")

    @OptionGroup var engine: EngineOptions
    @OptionGroup var execution: ExecutionOptions
    @Argument(help: "The DAG id.") var dagId: String
    @Option(help: "Run conf as a JSON object, checked against the DAG's params.") var conf: String?
    @Option(name: .customLong("logical-date"), help: "Logical date (ISO 8601, UTC).") var logicalDate: String?
    @Flag(help: "Wait for the run to end (exit 0 on success, 1 on failure); runs it here when no scheduler is alive.")
    var wait = false

    func run() async throws {
        let engine = try await engine.engine()
        var confObject: [String: JSONValue] = [:]
        if let conf { confObject = try ConfArgument.parse(conf) }
        let date = try logicalDate.map { try DateArgument.parse($0, option: "--logical-date") }
        let run = try await engine.trigger(
            dagId: dagId, conf: confObject, logicalDate: date, triggeringUserName: CLIUser.name)
        print(run.runId)
        let schedulerAlive = await engine.wakeScheduler()
        guard wait else {
            if !schedulerAlive {
                let note =
                    "run \(run.runId) is queued; no scheduler is running "
                    + "(start `updraft scheduler`, or trigger with --wait to run it here)\n"
                FileHandle.standardError.write(Data(note.utf8))
            }
            return
        }
        let state = try await RunWaiter(engine: engine, execution: execution, delivery: try self.engine.delivery(store: engine.store)).wait(
            for: run.key, schedulerAlive: schedulerAlive)
        if state != .success { throw CLIError.failed("run \(run.runId) ended \(state.rawValue)") }
    }
}
