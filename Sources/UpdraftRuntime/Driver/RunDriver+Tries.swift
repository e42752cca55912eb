import Foundation
import UpdraftCore
import UpdraftStore

extension RunDriver {
    /// Turns an executor result into a machine outcome, keeping the try's XCom for the commit.
    func tryEnded(_ id: String, _ tryNumber: Int, _ result: ExecutionResult, now: Date,
                  _ batch: inout StateBatch, _ triggers: inout [DAGTriggerRequest]) -> [RunAction] {
        if let entry = inFlight[id], entry.tryNumber == tryNumber {
            inFlight[id] = nil
            if let node = graph[id] {
                ledger.release(pool: node.options.pool, slots: node.options.poolSlots, dagId: dag.id)
            }
        }
        guard let instance = machine.instance(id), instance.state == .running, instance.tryNumber == tryNumber else {
            return []
        }
        let timeoutText = graph[id]?.options.executionTimeout.map { "\($0.seconds)s" } ?? "-"
        let outcome: TryOutcome
        switch result {
        case .replied(let reply):
            switch reply.outcome {
            case .success:
                for (key, value) in reply.xcoms {
                    batch.xcoms.append(XComEntry(runId: run.runId, taskId: id, key: key, value: Array(value.utf8)))
                }
                xcomCache[id] = reply.xcoms
                triggers += reply.triggers
                outcome = .success(follow: reply.follow)
            case .skipped: outcome = .skipped(reply.error ?? "skipped")
            case .failed:
                outcome = .failed(errorType: reply.errorType, message: reply.error ?? "failed", retryable: reply.retryable)
            }
        case .crashed(let message):
            appendLog(id, tryNumber, "Worker crashed: \(message)")
            outcome = .failed(errorType: "WorkerCrash", message: "worker crashed: \(message)", retryable: true)
        case .timedOut(let limit):
            appendLog(id, tryNumber, "Killed: ran longer than executionTimeout (\(limit.seconds)s)")
            outcome = .failed(errorType: "TaskTimeout",
                              message: "ran longer than executionTimeout (\(timeoutText))", retryable: true)
        case .cancelled:
            outcome = stopping ? .interrupted
                : .failed(errorType: "CancellationError", message: "cancelled", retryable: false)
        }
        return machine.handle(.tryFinished(id, outcome), now: now)
    }

    /// Starts a try in the executor (after its `running` row is committed).
    func start(_ id: String, tryNumber: Int) {
        guard let node = graph[id] else { return }
        let logPath = engine.home.logPath(dagId: dag.id, runId: run.runId, taskId: id, tryNumber: tryNumber)
        var inputs: [String: String] = [:]
        let parts = id.split(separator: ".")
        for length in 1..<max(1, parts.count) {
            let prefix = parts[0..<length].joined(separator: ".")
            if let input = factoryInputs[prefix] { inputs[prefix] = String(decoding: input, as: UTF8.self) }
        }
        // Prefetch the XCom of direct upstream tasks and of the sources of the factories
        // enclosing the task (what a task built by a factory usually reads).
        var sources = node.upstream
        var enclosing = node.factory
        while let factoryId = enclosing, let factoryNode = graph[factoryId] {
            sources += factoryNode.upstream
            enclosing = factoryNode.factory
        }
        var xcoms: [String: [String: String]] = [:]
        for up in sources { if let cached = xcomCache[up] { xcoms[up] = cached } }
        if sources.contains(where: { xcomCache[$0] == nil }) {
            for up in sources where xcomCache[up] == nil {
                if let value = try? engine.store.xcom(runId: run.runId, taskId: up, key: XComCoding.returnValueKey) {
                    xcoms[up] = [XComCoding.returnValueKey: String(decoding: value, as: UTF8.self)]
                }
            }
        }
        let request = TaskRequest(dagId: dag.id, runId: run.runId, taskId: id, tryNumber: tryNumber,
                                  logicalDate: run.logicalDate, dataInterval: run.dataInterval, params: params,
                                  factoryInputs: inputs, xcoms: xcoms, storePath: engine.storePath, logPath: logPath)
        let executor = self.executor
        let timeout = node.options.executionTimeout
        let inbox = self.inbox
        let task = Task {
            let result = await executor.execute(request, timeout: timeout)
            inbox.post(.tryEnded(id, tryNumber: tryNumber, result))
        }
        inFlight[id] = (tryNumber, task)
    }

    /// Builds a factory's tasks from its input (the source's `return_value`, or the params).
    func expand(_ id: String, now: Date, _ batch: inout StateBatch) -> [RunAction] {
        guard let node = graph[id], case .factory(let factory) = node.kind else { return [] }
        do {
            let input: [UInt8]
            if let source = factory.source {
                if let cached = xcomCache[source]?[XComCoding.returnValueKey] { input = Array(cached.utf8) }
                else if let stored = try engine.store.xcom(runId: run.runId, taskId: source, key: XComCoding.returnValueKey) {
                    input = stored
                } else {
                    return machine.handle(.factoryFailed(id, "'\(source)' returned no value to build from"), now: now)
                }
            } else {
                input = try XComCoding.encode(params)
            }
            let nodes = try factory.expand(factoryId: id, input: input, params: params, defaults: dag.defaults)
            factoryInputs[id] = input
            batch.factoryInputs.append(FactoryInput(runId: run.runId, factoryId: id, input: input))
            graph.append(nodes)
            return machine.handle(.factoryExpanded(id, nodes), now: now)
        } catch {
            return machine.handle(.factoryFailed(id, "\(error)"), now: now)
        }
    }

    func triggerRun(_ request: DAGTriggerRequest) {
        do { _ = try engine.trigger(dagId: request.dagId, conf: request.conf) }
        catch { appendLog(nil, 0, "could not trigger DAG '\(request.dagId)': \(error)") }
    }

    func callback(_ info: CallbackInfo) {
        guard let id = info.taskId, let options = graph[id]?.options else { return }
        let callback: TaskCallback? = switch info.state {
        case .success: options.onSuccess
        case .failed: options.onFailure
        case .upForRetry: options.onRetry
        default: nil
        }
        guard let callback else { return }
        sideTasks.append(Task { await callback(info) })
    }

    func appendLog(_ id: String?, _ tryNumber: Int, _ line: String) {
        guard let id else { return }
        let path = engine.home.logPath(dagId: dag.id, runId: run.runId, taskId: id, tryNumber: tryNumber)
        LogFile.append("[\(TaskLog.timestamp(Date()))] ERROR - \(line)\n", to: path)
    }
}
