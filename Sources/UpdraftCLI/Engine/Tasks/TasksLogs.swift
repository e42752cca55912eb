import ArgumentParser
import Foundation
import UpdraftRuntime

/// `updraft tasks logs RUN TASK [--try N]`.
struct TasksLogs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Print the log of a task's try.")

    @OptionGroup var engine: EngineOptions
    @OptionGroup var selection: RunSelection
    @Argument(help: "The task id.") var taskId: String
    @Option(name: .customLong("try"), help: "Try number (default: the latest).") var tryNumber: Int?

    func run() async throws {
        let engine = try await engine.engine()
        let run = try await selection.run(in: engine)
        let runId = run.runId
        guard let instance = try await engine.store.taskInstance(run: run.key, taskId: taskId) else {
            throw RuntimeError.unknownTask(dag: run.dagId, task: taskId)
        }
        let chosen = tryNumber ?? instance.tryNumber
        guard chosen >= 1 else { throw CLIError.usage("task \(taskId) of run \(runId) has not started a try yet") }
        let path = engine.home.logPath(dagId: run.dagId, runId: runId, taskId: taskId, tryNumber: chosen)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError.usage("no log for try \(chosen) of \(taskId) (tries: 1…\(instance.tryNumber)); looked at \(path)")
        }
        FileHandle.standardOutput.write(data)
    }
}
