import Foundation
import UpdraftCore
import UpdraftStore
import UpdraftWorkers

/// Runs one try of a task from a `TaskRequest`, in a worker process or in-process.
///
/// ```swift
/// // First thing in main: let the binary act as its own worker.
/// await WorkerProcess.serveIfRequested { payload in await TaskRunner(registry: registry).handle(payload) }
/// ```
public struct TaskRunner: Sendable {
    public let registry: DAGRegistry
    /// Where XCom that was not prefetched is read (in-process runs over any store); nil: the
    /// request's SQLite file.
    let store: (any StateStore)?
    /// Factory expansions already built, so that the tasks of one big group do not each rebuild it.
    let expansions = ExpansionCache()
    /// This process's resources, handed to every try's context (built on first use).
    public let resources: Resources

    public init(registry: DAGRegistry, store: (any StateStore)? = nil, resources: Resources = Resources()) {
        self.registry = registry
        self.store = store
        self.resources = resources
    }

    /// Decodes a request frame (``TaskRequest/frame``), runs it, and returns the reply's frame
    /// (``TaskReply/init(frame:)`` reads it): the worker's job handler.
    public func handle(_ payload: [UInt8]) async -> [UInt8] {
        let reply: TaskReply
        do {
            reply = await run(try TaskRequest(frame: payload))
        } catch {
            reply = TaskReply(
                outcome: .failed, error: "bad task request: \(error)", errorType: "TaskRequestError",
                retryable: false)
        }
        do { return try reply.frame() } catch {
            // The try ran, but what it asked for cannot travel: a failure naming it, not a
            // success that silently drops its triggers. The retry policy applies, as to a crash.
            return (try? TaskReply(outcome: .failed, error: error.description, errorType: "TaskReplyError").frame()) ?? []
        }
    }

    /// Runs the task the request names and reports what it produced, with the counters this
    /// process incremented since its previous reply (``Resources/metrics``).
    public func run(_ request: TaskRequest) async -> TaskReply {
        var reply = await runTry(request)
        let counters = resources.metrics.drain()
        if !counters.isEmpty { reply.counters = counters }
        return reply
    }

    private func runTry(_ request: TaskRequest) async -> TaskReply {
        let environment = RunnerEnvironment(request: request, store: store)
        defer { environment.close() }
        do {
            let dag = try registry.dag(request.dagId)
            let inputs = request.factoryInputs.mapValues { Array($0.utf8) }
            let node = try expansions.node(
                request.taskId, run: RunKey(request.dagId, request.runId), dag: dag,
                params: request.params, factoryInputs: inputs)
            let context = TaskContext(
                dagId: request.dagId, runId: request.runId, taskId: request.taskId,
                tryNumber: request.tryNumber, logicalDate: request.logicalDate,
                dataInterval: request.dataInterval, params: request.params,
                environment: environment, resources: resources)
            context.log.info("Starting try \(request.tryNumber) of \(request.dagId).\(request.taskId) (run \(request.runId))")
            var follow: [String]?
            if let buildInput = request.buildInput {
                guard case .factory(let factory) = node.kind else {
                    throw RuntimeError.badRequest("'\(request.taskId)' is not a factory")
                }
                context.log.info("Building the tasks of factory \(request.taskId)")
                let input = Array(buildInput.utf8)
                let nodes = try factory.expand(
                    factoryId: request.taskId, input: input, params: request.params, defaults: dag.defaults)
                context.log.info("Built \(nodes.count) task(s)")
                expansions.keep(
                    nodes, builtBy: request.taskId, from: input, run: RunKey(request.dagId, request.runId), dag: dag,
                    params: request.params, factoryInputs: inputs)
                return TaskReply(outcome: .success)
            }
            switch node.kind {
            case .task(let body):
                if let value = try await body(context) { environment.push(key: XComCoding.returnValueKey, value: value) }
            case .branch(let body):
                let value = try await body(context) ?? Array("[]".utf8)
                environment.push(key: XComCoding.returnValueKey, value: value)
                follow = try XComCoding.decode([String].self, from: value, source: "branch \(request.taskId)")
                context.log.info("Branch follows: \(follow!.joined(separator: ", "))")
            case .factory:
                throw RuntimeError.badRequest("'\(request.taskId)' is a factory, not a task")
            }
            context.log.info("Try \(request.tryNumber) succeeded")
            return TaskReply(
                outcome: .success, xcoms: environment.pushed(), follow: follow,
                triggers: environment.triggered(), notices: environment.noticed())
        } catch let skip as TaskSkip {
            environment.log.info("Skipped: \(skip.reason)")
            return TaskReply(outcome: .skipped, error: skip.reason)
        } catch let failure as TaskFailure {
            environment.log.error("Failed without retry: \(failure.message)")
            return TaskReply(outcome: .failed, error: failure.message, errorType: "TaskFailure", retryable: false)
        } catch {
            let type = String(describing: Swift.type(of: error))
            environment.log.error("Failed: \(type): \(error)")
            let retryable = !(error is RuntimeError)
            return TaskReply(outcome: .failed, error: "\(type): \(error)", errorType: type, retryable: retryable)
        }
    }
}

/// The `TaskEnvironment` of one try: collects pushes and triggers, writes the log file.
final class RunnerEnvironment: TaskEnvironment, TaskSettingsReading, @unchecked Sendable {
    let request: TaskRequest
    private let lock = NSLock()
    private var pushes: [String: String] = [:]
    private var triggers: [DAGTriggerRequest] = []
    private var notices: [TaskNotice] = []
    private let logFile: Int32
    /// Whether `logFile` was opened here (else it is the worker's fd 2, already on the log).
    private let ownsLogFile: Bool
    private var store: (any StateStore)?

    init(request: TaskRequest, store: (any StateStore)?) {
        self.request = request
        self.store = store
        // In a worker, fd 2 appends to the try's log during the try: no second open.
        if WorkerProcess.jobOutputPath == request.logPath {
            logFile = 2
            ownsLogFile = false
        } else {
            logFile = OutputFile.openForAppend(request.logPath)
            ownsLogFile = true
        }
    }

    func close() { if ownsLogFile, logFile >= 0 { _ = Glibc.close(logFile) } }

    func push(key: String, value: [UInt8]) {
        lock.withLock { pushes[key] = String(decoding: value, as: UTF8.self) }
    }

    /// Prefetched values first, then the store; a store that cannot be opened or read throws.
    func pull(task: String, key: String, from requester: String) throws -> [UInt8]? {
        let candidates = RunnerEnvironment.candidates(for: task, from: requester)
        for candidate in candidates {
            if let text = request.xcoms[candidate]?[key] { return Array(text.utf8) }
        }
        guard let store = try openStore() else { return nil }
        guard let reader = store as? any XComReading else {
            throw RuntimeError.badRequest("the state store \(type(of: store)) cannot serve XCom to a running task")
        }
        for candidate in candidates {
            if let value = try reader.readXCom(run: RunKey(request.dagId, request.runId), taskId: candidate, key: key) {
                return value
            }
        }
        return nil
    }

    /// The run's store: the one given (in-process), else the request's SQLite file, opened on first use.
    private func openStore() throws -> (any StateStore)? {
        try lock.withLock {
            if self.store == nil, let path = request.storePath { self.store = try SQLiteStateStore(path: path) }
            return self.store
        }
    }

    /// The store's synchronous reader of variables and connections; throws when there is none.
    private func settings(_ what: String) throws -> any SettingsReading {
        guard let store = try openStore() else { throw TaskSettingsUnavailable(what) }
        guard let reader = store as? any SettingsReading else {
            throw RuntimeError.badRequest("the state store \(type(of: store)) cannot serve \(what) to a running task")
        }
        return reader
    }

    func variable(_ key: String) throws -> String? {
        try settings("variable '\(key)'").readVariable(key)?.value
    }

    func connection(_ id: String) throws -> ConnectionInfo? {
        try settings("connection '\(id)'").readConnection(id)?.info
    }

    /// A sibling in the requester's group first, then each enclosing group, then the id as given.
    static func candidates(for task: String, from requester: String) -> [String] {
        var result: [String] = []
        var parts = requester.split(separator: ".").dropLast()
        while !parts.isEmpty {
            result.append(parts.joined(separator: ".") + "." + task)
            parts = parts.dropLast()
        }
        result.append(task)
        return result
    }

    func trigger(dagId: String, conf: [String: JSONValue]) {
        lock.withLock { triggers.append(DAGTriggerRequest(dagId: dagId, conf: conf)) }
    }

    func notify(_ notice: TaskNotice) {
        lock.withLock { notices.append(notice) }
    }

    func write(log line: String) {
        let text = line.hasSuffix("\n") ? line : line + "\n"
        guard logFile >= 0 else { return }
        lock.withLock { _ = text.withCString { Glibc.write(logFile, $0, strlen($0)) } }
    }

    var log: TaskLog { TaskLog(environment: self) }

    func pushed() -> [String: String] { lock.withLock { pushes } }
    func triggered() -> [DAGTriggerRequest] { lock.withLock { triggers } }
    func noticed() -> [TaskNotice]? { lock.withLock { notices.isEmpty ? nil : notices } }
}
