import ArgumentParser
import UpdraftRuntime

/// `updraft runs cancel RUN`.
struct RunsCancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel a run: stop its running tries, skip the rest, end it failed.")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The run id.") var runId: String

    func run() async throws { try markRun(engine, runId, .failed, verb: "cancelled") }
}

/// `updraft runs mark RUN success|failed`.
struct RunsMark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark", abstract: "Mark a run success (unfinished tasks succeed) or failed (they are skipped).")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The run id.") var runId: String
    @Argument(help: "success or failed.") var state: String

    func validate() throws {
        guard let parsed = RunState(rawValue: state), parsed.isTerminal else {
            throw ValidationError("state must be success or failed, got '\(state)'")
        }
    }

    func run() async throws { try markRun(engine, runId, RunState(rawValue: state)!, verb: "marked \(state)") }
}

func markRun(_ options: EngineOptions, _ runId: String, _ state: RunState, verb: String) throws {
    let engine = try options.engine()
    if let owner = try engine.markRun(runId: runId, state: state) {
        WakeUpSignal.send(to: owner)
        print("run \(runId) \(verb); told its owner (\(owner)) to stop")
    } else {
        print("run \(runId) \(verb)")
    }
}
