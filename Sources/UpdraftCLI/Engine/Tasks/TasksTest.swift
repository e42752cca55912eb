import ArgumentParser
import Foundation
import UpdraftRuntime

/// `updraft tasks test DAG TASK [--conf JSON]`.
struct TasksTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Run one task in this process and print its log; no state is written.")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The DAG id.") var dagId: String
    @Argument(help: "The task id (a static task of the DAG).") var taskId: String
    @Option(help: "Run conf as a JSON object.") var conf: String?
    @Option(name: .customLong("logical-date"), help: "Logical date (ISO 8601, UTC; default now).") var logicalDate: String?

    func run() async throws {
        let registry = try engine.registry()
        let dag = try registry.dag(dagId)
        guard let node = dag.graph[taskId] else {
            throw CLIError.usage("DAG '\(dagId)' has no static task '\(taskId)' (tasks built by factories exist only in runs)")
        }
        guard !node.isFactory else { throw CLIError.usage("'\(taskId)' is a factory; test one of the tasks it builds in a run") }
        var confObject: [String: JSONValue] = [:]
        if let conf {
            guard case .object(let object) = try JSONValue.parse(conf, source: "--conf") else {
                throw CLIError.usage("--conf must be a JSON object")
            }
            confObject = object
        }
        let params = try dag.resolveParams(confObject)
        let date = try logicalDate.map { try DateArgument.parse($0, option: "--logical-date") } ?? Date()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-test-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let request = TaskRequest(
            dagId: dagId, runId: "test__\(RunIdentifier.timestamp(date))", taskId: taskId,
            tryNumber: 1, logicalDate: date, dataInterval: dag.schedule.dataInterval(forLogicalDate: date),
            params: params, logPath: log)
        let result = await InProcessExecutor(registry: registry, resources: try engine.resources()).execute(
            request, timeout: node.options.executionTimeout)
        if let data = FileManager.default.contents(atPath: log) { FileHandle.standardOutput.write(data) }
        switch result {
        case .replied(let reply) where reply.outcome != .failed:
            if let value = reply.xcoms["return_value"] { print("return_value: \(value)") }
            print("task \(taskId): \(reply.outcome.rawValue)")
        case .replied(let reply): throw CLIError.failed("task \(taskId) failed: \(reply.error ?? "")")
        case .timedOut(let limit): throw CLIError.failed("task \(taskId) ran longer than \(limit)")
        case .crashed(let message): throw CLIError.failed("task \(taskId) crashed: \(message)")
        case .cancelled: throw CLIError.failed("task \(taskId) was cancelled")
        case .interrupted(let reason): throw CLIError.failed("task \(taskId) was interrupted: \(reason)")
        }
    }
}
