import ArgumentParser
import UpdraftRuntime

/// `updraft tasks mark RUN TASK success|failed [--downstream]`.
struct TasksMark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mark", abstract: "Set a task's state by hand.")

    @OptionGroup var engine: EngineOptions
    @OptionGroup var selection: RunSelection
    @Argument(help: "The task id.") var taskId: String
    @Argument(help: "success or failed.") var state: String
    @Flag(help: "Also mark every task after it.") var downstream = false

    func validate() throws {
        guard state == "success" || state == "failed" else {
            throw ValidationError("state must be success or failed, got '\(state)'")
        }
    }

    func run() async throws {
        let engine = try await engine.engine()
        let marked = try await engine.markTask(
            run: selection.run(in: engine).key, taskId: taskId,
            state: TaskState(rawValue: state)!, downstream: downstream, owner: CLIUser.name)
        await engine.wakeScheduler()
        print("marked \(marked.count) task(s) \(state): \(marked.joined(separator: ", "))")
    }
}
