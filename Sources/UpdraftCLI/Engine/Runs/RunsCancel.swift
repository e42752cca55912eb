import ArgumentParser
import UpdraftRuntime
import UpdraftStore

/// `updraft runs cancel RUN`.
struct RunsCancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a run that has not ended: stop its running tries, skip the rest, end it failed.")

    @OptionGroup var engine: EngineOptions
    @OptionGroup var selection: RunSelection

    func run() async throws {
        let engine = try await engine.engine()
        let key = try await selection.run(in: engine).key
        await report(key, verb: "cancelled", toldOwner: try engine.cancel(run: key, owner: CLIUser.name))
    }
}

/// `updraft runs mark RUN success|failed`.
struct RunsMark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark", abstract: "Mark a run success (unfinished tasks succeed) or failed (they are skipped).")

    @OptionGroup var engine: EngineOptions
    @OptionGroup var selection: RunSelection
    @Argument(help: "success or failed.") var state: String

    func validate() throws {
        guard let parsed = RunState(rawValue: state), parsed.isTerminal else {
            throw ValidationError("state must be success or failed, got '\(state)'")
        }
    }

    func run() async throws {
        let engine = try await engine.engine()
        let key = try await selection.run(in: engine).key
        report(
            key, verb: "marked \(state)",
            toldOwner: try await engine.markRun(run: key, state: RunState(rawValue: state)!, owner: CLIUser.name))
    }
}

/// Prints what happened to a run, and tells its live owner to stop.
private func report(_ key: RunKey, verb: String, toldOwner owner: ProcessIdentity?) {
    if let owner {
        WakeUpSignal.send(to: owner)
        print("run \(key.runId) of \(key.dagId) \(verb); told its owner (\(owner)) to stop")
    } else {
        print("run \(key.runId) of \(key.dagId) \(verb)")
    }
}
