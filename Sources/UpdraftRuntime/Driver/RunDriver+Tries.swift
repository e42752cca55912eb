import Foundation
import UpdraftCore
import UpdraftStore

extension RunDriver {
    /// Turns an executor result into a machine outcome, keeping the try's XCom for the commit.
    /// A success records the task's asset events in the same batch and creates the runs the try
    /// asked for (`ctx.triggerDAG`); a trigger that fails fails the try, with the error in its log.
    func tryEnded(
        _ id: String, _ tryNumber: Int, _ result: ExecutionResult, now: Date,
        _ batch: inout StateBatch
    ) async -> [RunAction] {
        if let entry = inFlight[id], entry.tryNumber == tryNumber {
            inFlight[id] = nil
            releaseSlot(of: id)
        }
        if case .replied(let reply) = result { recordCounters(reply.counters) }
        guard let instance = machine.instance(id), instance.state.isActive, instance.tryNumber == tryNumber else {
            return []
        }
        let timeoutText = graph[id]?.options.executionTimeout.map { "\($0.seconds)s" } ?? "-"
        let outcome: TryOutcome
        switch result {
        case .replied(let reply):
            switch reply.outcome {
            case .success:
                if let failure = await triggerRuns(reply.triggers, from: id, tryNumber: tryNumber) {
                    outcome = failure
                    break
                }
                for (key, value) in reply.xcoms {
                    batch.xcoms.append(XComEntry(run: run.key, taskId: id, key: key, value: Array(value.utf8)))
                }
                xcomCache[id] = reply.xcoms
                if let list = reply.notices { notices.append((id, list)) }
                for asset in graph[id]?.options.outlets ?? [] {
                    batch.assetEvents.append(
                        AssetEventDraft(
                            asset: asset, sourceRun: run.key, sourceTaskId: id,
                            timestamp: now))
                }
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
            outcome = .failed(
                errorType: "TaskTimeout",
                message: "ran longer than executionTimeout (\(timeoutText))", retryable: true)
        case .interrupted(let reason):
            appendLog(id, tryNumber, "Interrupted: \(reason)")
            outcome = .interrupted
        case .cancelled:
            outcome =
                stopping
                ? .interrupted
                : .failed(errorType: "CancellationError", message: "cancelled", retryable: false)
        }
        let actions = machine.handle(.tryFinished(id, outcome), now: now)
        if let state = machine.instance(id)?.state { metrics.tryFinished(metricsTaskId(id), state: state) }
        return actions
    }

    /// Starts a try in the executor (after its `queued` or `running` row is committed), with its
    /// request when `step` made it before the commit. A `queued` try posts `.tryStarted` when a
    /// worker takes it. A store error while reading the upstream XCom for the request fails the
    /// try with it.
    func start(_ id: String, tryNumber: Int, request made: Result<TaskRequest, any Error>? = nil) async {
        guard let node = graph[id] else { return }
        let queued = machine.instance(id)?.state == .queued
        if !queued { metrics.tryStarted(metricsTaskId(id)) }
        let inbox = self.inbox
        let request: TaskRequest
        do {
            if let made { request = try made.get() } else { request = try await self.request(for: id, tryNumber: tryNumber) }
        } catch {
            let message = "could not read the XCom of upstream tasks: \(error)"
            appendLog(id, tryNumber, message)
            let reply = TaskReply(
                outcome: .failed, error: message, errorType: String(describing: type(of: error)),
                retryable: true)
            let task = Task { inbox.post(.tryEnded(id, tryNumber: tryNumber, .replied(reply))) }
            inFlight[id] = (tryNumber, StartedTry(cancel: task.cancel))
            return
        }
        let executor = self.executor
        let timeout = node.options.executionTimeout
        let ended: @Sendable (ExecutionResult) -> Void = { inbox.post(.tryEnded(id, tryNumber: tryNumber, $0)) }
        let started: @Sendable () -> Void = { inbox.post(.machine(.tryStarted(id, tryNumber: tryNumber))) }
        // The executor takes the try without waiting (a worker pool queues it until a worker is
        // free); one that cannot (a pool shutting down) gets a task that waits for the outcome.
        // A try recorded `queued` that a worker took at once is `running` in the next commit; one
        // recorded `running` that waits gets its start date when a worker takes it.
        if let handle = executor.start(request, timeout: timeout, started: started, completion: ended) {
            inFlight[id] = (tryNumber, handle)
            if queued, !handle.waiting { started() }
            return
        }
        let task = Task {
            if queued { started() }
            ended(await executor.execute(request, timeout: timeout))
        }
        inFlight[id] = (tryNumber, StartedTry(cancel: task.cancel))
    }

    /// What an executor needs to run try `tryNumber` of `id`.
    func request(for id: String, tryNumber: Int) async throws -> TaskRequest {
        let node = graph[id]
        let logPath = engine.home.logPath(dagId: dag.id, runId: run.runId, taskId: id, tryNumber: tryNumber)
        var inputs: [String: String] = [:]
        let parts = id.split(separator: ".")
        for length in 1..<max(1, parts.count) {
            let prefix = parts[0..<length].joined(separator: ".")
            if let input = factoryInputs[prefix] { inputs[prefix] = String(decoding: input, as: UTF8.self) }
        }
        // Prefetch the XCom of direct upstream tasks and of the sources of the factories
        // enclosing the task (what a task built by a factory usually reads).
        var sources = node?.upstream ?? []
        var enclosing = node?.factory
        while let factoryId = enclosing, let factoryNode = graph[factoryId] {
            sources += factoryNode.upstream
            enclosing = factoryNode.factory
        }
        var xcoms: [String: [String: String]] = [:]
        for up in sources { if let cached = xcomCache[up] { xcoms[up] = cached } }
        if sources.contains(where: { xcomCache[$0] == nil }) {
            for up in sources where xcomCache[up] == nil {
                // A value missing here is pulled by the worker from the store; a store error fails the try.
                if let value = try await engine.store.xcom(run: run.key, taskId: up, key: XComCoding.returnValueKey) {
                    xcoms[up] = [XComCoding.returnValueKey: String(decoding: value, as: UTF8.self)]
                }
            }
        }
        return TaskRequest(
            dagId: dag.id, runId: run.runId, taskId: id, tryNumber: tryNumber,
            logicalDate: run.logicalDate, dataInterval: run.dataInterval, params: params,
            factoryInputs: inputs, xcoms: xcoms, storePath: engine.storePath, logPath: logPath, queue: node?.options.queue,
            dagHash: dagHash, priority: node?.options.priority)
    }

    /// Starts building a factory's tasks from its input (the source's `return_value`, or the
    /// params) in the executor: a factory that throws, traps or runs away fails only itself.
    func build(_ id: String, now: Date) async -> [RunAction] {
        guard let node = graph[id], case .factory(let factory) = node.kind, building[id] == nil else { return [] }
        let input: [UInt8]
        do {
            if let source = factory.source {
                if let cached = xcomCache[source]?[XComCoding.returnValueKey] {
                    input = Array(cached.utf8)
                } else if let stored = try await engine.store.xcom(run: run.key, taskId: source, key: XComCoding.returnValueKey) {
                    input = stored
                } else {
                    return failFactory(id, "'\(source)' returned no value to build from", now: now)
                }
            } else {
                input = try XComCoding.encode(params)
            }
        } catch {
            return failFactory(id, "could not read the input of the factory: \(error)", now: now)
        }
        var request: TaskRequest
        do { request = try await self.request(for: id, tryNumber: 1) } catch {
            return failFactory(id, "could not read the XCom of upstream tasks: \(error)", now: now)
        }
        request.buildInput = String(decoding: input, as: UTF8.self)
        let executor = self.executor
        let timeout = node.options.executionTimeout
        let inbox = self.inbox
        building[id] = Task {
            let result = await executor.execute(request, timeout: timeout)
            inbox.post(.factoryBuilt(id, input: input, result))
        }
        return []
    }

    /// Applies a finished build: expands the graph when the factory's code succeeded in the
    /// executor, else fails the factory with the reason (also written to its log).
    func factoryBuilt(
        _ id: String, input: [UInt8], _ result: ExecutionResult, now: Date,
        _ batch: inout StateBatch
    ) -> [RunAction] {
        building[id] = nil
        if case .replied(let reply) = result { recordCounters(reply.counters) }
        guard let node = graph[id], case .factory(let factory) = node.kind else { return [] }
        switch result {
        case .replied(let reply) where reply.outcome == .success:
            do {
                // Deterministic, and it just succeeded in the executor: safe to run here.
                let nodes = try factory.expand(factoryId: id, input: input, params: params, defaults: dag.defaults)
                factoryInputs[id] = input
                batch.factoryInputs.append(FactoryInput(run: run.key, factoryId: id, input: input))
                graph.append(nodes)
                return machine.handle(.factoryExpanded(id, nodes), now: now)
            } catch {
                return failFactory(id, "\(error)", now: now)
            }
        case .replied(let reply):
            return failFactory(id, reply.error ?? "the factory failed", now: now, logged: true)
        case .crashed(let message):
            return failFactory(id, "the factory crashed its worker while building its tasks: \(message)", now: now)
        case .timedOut(let limit):
            return failFactory(id, "the factory built its tasks longer than executionTimeout (\(limit.seconds)s)", now: now)
        case .interrupted(let reason):
            return failFactory(id, "interrupted while building its tasks: \(reason)", now: now)
        case .cancelled:
            if stopping { return [] }  // built again when the run resumes
            return failFactory(id, "cancelled while building its tasks", now: now)
        }
    }

    /// Fails a factory with `reason`, written to its log unless the executor already logged it.
    func failFactory(_ id: String, _ reason: String, now: Date, logged: Bool = false) -> [RunAction] {
        if !logged { appendLog(id, 1, "Factory failed: \(reason)") }
        return machine.handle(.factoryFailed(id, reason), now: now)
    }

    /// Creates the runs a try asked for; the first failure becomes the try's failed outcome.
    func triggerRuns(_ requests: [DAGTriggerRequest], from id: String, tryNumber: Int) async -> TryOutcome? {
        for request in requests {
            do {
                _ = try await engine.trigger(
                    dagId: request.dagId, conf: request.conf, runType: .manual,
                    triggeredBy: .operator)
            } catch {
                let message = "could not trigger DAG '\(request.dagId)': \(error)"
                appendLog(id, tryNumber, message)
                return .failed(errorType: "TriggerError", message: message, retryable: !(error is RuntimeError))
            }
        }
        return nil
    }

    func callback(_ info: CallbackInfo) {
        guard let id = info.taskId, let options = graph[id]?.options else { return }
        let callback: TaskCallback? =
            switch info.state {
            case .success: options.onSuccess
            case .failed: options.onFailure
            case .upForRetry: options.onRetry
            default: nil
            }
        guard let callback else { return }
        let home = engine.home, clock = engine.clock
        sideTasks.append(
            Task {
                do { try await callback(info) } catch {
                    let line = "the \(info.state.rawValue) callback of task '\(id)' (try \(info.tryNumber)) failed: \(error)"
                    let path = home.logPath(dagId: info.dagId, runId: info.runId, taskId: id, tryNumber: info.tryNumber)
                    LogFile.append("[\(TaskLog.timestamp(clock.now))] ERROR - \(line)\n", to: path)
                    home.appendRunLog(dagId: info.dagId, runId: info.runId, line, now: clock.now)
                }
            })
    }

    /// The `task_id` label of `id`: its own id, or for a task a factory built, the outermost
    /// factory's id (as Airflow counts a mapped task's instances under its one task id), so that
    /// the series follow the DAG's code, not its data (a 10,000-task fan-out is one series).
    func metricsTaskId(_ id: String) -> String {
        var label = id
        var enclosing = graph[id]?.factory
        while let factory = enclosing {
            label = factory
            enclosing = graph[factory]?.factory
        }
        return label
    }

    /// Records the counters a try reported; a refused one is said once in the run's log.
    func recordCounters(_ counters: [CounterIncrement]?) {
        for reason in metrics.record(counters) {
            engine.home.appendRunLog(dagId: dag.id, runId: run.runId, "metrics: \(reason); not recorded", now: engine.clock.now)
        }
    }

    func appendLog(_ id: String, _ tryNumber: Int, _ line: String) {
        let path = engine.home.logPath(dagId: dag.id, runId: run.runId, taskId: id, tryNumber: tryNumber)
        LogFile.append("[\(TaskLog.timestamp(engine.clock.now))] ERROR - \(line)\n", to: path)
    }
}
