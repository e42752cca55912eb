import ArgumentParser
import Foundation
import UpdraftRuntime
import UpdraftStore

/// `updraft tasks logs RUN TASK [--try N] [--follow]`.
struct TasksLogs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print the log of a task's try (this host's file, or what a remote worker shipped to the store).")

    @OptionGroup var engine: EngineOptions
    @OptionGroup var selection: RunSelection
    @Argument(help: "The task id.") var taskId: String
    @Option(name: .customLong("try"), help: "Try number (default: the latest).") var tryNumber: Int?
    @Flag(name: .shortAndLong, help: "Keep printing new lines while the try runs.") var follow = false

    func run() async throws {
        let engine = try await engine.engine()
        let run = try await selection.run(in: engine)
        let runId = run.runId
        guard let instance = try await engine.store.taskInstance(run: run.key, taskId: taskId) else {
            throw RuntimeError.unknownTask(dag: run.dagId, task: taskId)
        }
        let chosen = tryNumber ?? instance.tryNumber
        guard chosen >= 1 else { throw CLIError.usage("task \(taskId) of run \(runId) has not started a try yet") }
        let key = TryKey(dagId: run.dagId, runId: runId, taskId: taskId, tryNumber: chosen)
        var offset = 0
        var bytes = try await engine.tryLog(key, from: 0)
        if bytes.isEmpty, !isRunning(instance, chosen) {
            let path = engine.home.existingLogPath(dagId: run.dagId, runId: runId, taskId: taskId, tryNumber: chosen)
            throw CLIError.usage(
                "no log for try \(chosen) of \(taskId) (tries: 1…\(instance.tryNumber)); looked at \(path) and the store")
        }
        while true {
            FileHandle.standardOutput.write(Data(bytes))
            offset += bytes.count
            guard follow, let current = try await engine.store.taskInstance(run: run.key, taskId: taskId), isRunning(current, chosen)
            else { break }
            try await Task.sleep(for: .milliseconds(500))
            bytes = try await engine.tryLog(key, from: offset)
        }
        if follow { FileHandle.standardOutput.write(Data(try await engine.tryLog(key, from: offset))) }
    }

    /// Whether try `number` is the instance's current try and still under way.
    func isRunning(_ instance: TaskInstance, _ number: Int) -> Bool {
        instance.tryNumber == number && instance.state.isActive
    }
}
