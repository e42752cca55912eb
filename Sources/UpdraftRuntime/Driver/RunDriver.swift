import Foundation
import UpdraftCore
import UpdraftStore

/// Executes one run as its only owner: feeds events to the `RunStateMachine`, commits the
/// resulting writes in one transaction per batch of events, then performs the actions they
/// enable (start tries, arm retry timers, expand factories, call callbacks).
final class RunDriver: @unchecked Sendable {
    let engine: Engine
    let dag: DAG
    let executor: any TaskExecutor
    let ledger: SlotLedger
    /// The run's lease: every commit of the driver is fenced with it.
    let lease: LeaseToken
    let inbox = EventInbox<DriverEvent>()
    var run: DAGRun
    var params: [String: JSONValue] = [:]
    var graph: TaskGraph
    var factoryInputs: [String: [UInt8]] = [:]
    var machine: RunStateMachine
    var ready = ReadyQueue()
    /// Tries started and not yet ended, with how to stop each.
    var inFlight: [String: (tryNumber: Int, try: StartedTry)] = [:]
    /// Factories whose tasks an executor is building.
    var building: [String: Task<Void, Never>] = [:]
    var timers: [String: Task<Void, Never>] = [:]
    var sideTasks: [Task<Void, Never>] = []
    var xcomCache: [String: [String: String]] = [:]
    /// Notices of tries that succeeded in the current step (`ctx.notify`), for its commit.
    var notices: [(taskId: String, notices: [TaskNotice])] = []
    var stopping = false
    var finalState: RunState?
    /// The run's metrics (tries started and finished, the run's duration, reported counters).
    var metrics: RunMetricsRecorder
    /// The DAG's structure hash, sent with each try (a remote worker with other code refuses it).
    let dagHash: String

    init(
        engine: Engine, dag: DAG, run: DAGRun, lease: LeaseToken, executor: any TaskExecutor,
        ledger: SlotLedger
    ) async throws {
        self.engine = engine
        self.dag = dag
        self.run = run
        self.lease = lease
        self.executor = executor
        self.ledger = ledger
        metrics = RunMetricsRecorder(metrics: engine.metrics, dagId: dag.id)
        params = try dag.resolveParams(run.conf)
        factoryInputs = try await engine.store.factoryInputs(run: run.key)
        graph = try DAGRegistry.expandedGraph(of: dag, params: params, factoryInputs: factoryInputs)
        machine = RunStateMachine(
            dagId: dag.id, runId: run.runId, graph: graph,
            instances: try await engine.store.taskInstances(run: run.key))
        machine.failFast = dag.failFast
        dagHash = dag.structureHash
        // Tries a dead owner left running on a queue that still holds them are waited for again.
        for instance in machine.instances.values where instance.state == .running && graph[instance.taskId]?.isFactory == false {
            let key = TryKey(dagId: dag.id, runId: run.runId, taskId: instance.taskId, tryNumber: instance.tryNumber)
            if try await executor.resumable(key, queue: instance.queue) { machine.adoptable.insert(instance.taskId) }
        }
    }

    /// Runs until the run ends (or a shutdown hands it back); returns the final state, nil if handed back.
    func drive() async throws -> RunState? {
        let listener = ledger.subscribe { [inbox] in inbox.nudge() }
        defer { ledger.unsubscribe(listener) }
        if let timeout = dag.dagrunTimeout {
            let deadline = (run.startDate ?? engine.clock.now).addingTimeInterval(timeout.seconds)
            let clock = engine.clock
            timers["__dagrun_timeout"] = Task { [inbox] in
                do { try await clock.sleep(until: deadline) } catch { return }
                inbox.post(.machine(.timedOut))
            }
        }
        // The steps run where the executor's results arrive (a worker pool's I/O thread): a
        // try's end wakes no other thread. Callbacks below run on Swift's pool again.
        do {
            try await withTaskExecutorPreference(executor.driverExecutor) {
                try await step([.machine(.start)])
                while finalState == nil || !inFlight.isEmpty || !building.isEmpty {
                    if stopping && inFlight.isEmpty && building.isEmpty { break }
                    let events = await inbox.next()
                    try await step(events)
                }
            }
        } catch {
            abandon()
            throw error
        }
        for timer in timers.values { timer.cancel() }
        for task in sideTasks { await task.value }
        if let finalState {
            let info = CallbackInfo(
                dagId: dag.id, runId: run.runId, taskId: nil, tryNumber: 0,
                state: finalState == .success ? .success : .failed, error: nil)
            if let callback = finalState == .success ? dag.onSuccess : dag.onFailure {
                do { try await callback(info) } catch {
                    engine.home.appendRunLog(
                        dagId: dag.id, runId: run.runId,
                        "the DAG's \(finalState == .success ? "onSuccess" : "onFailure") callback failed: \(error)",
                        now: engine.clock.now)
                }
            }
        }
        return finalState
    }

    /// Applies a batch of events: machine transitions, one commit, then side effects.
    func step(_ events: [DriverEvent]) async throws {
        let now = engine.clock.now
        var batch = StateBatch()
        batch.fence = lease
        var actions: [RunAction] = []
        for event in events {
            switch event {
            case .machine(.tryStarted(let id, let tryNumber)):
                let wasQueued = machine.instance(id)?.state == .queued
                actions += machine.handle(.tryStarted(id, tryNumber: tryNumber), now: now)
                if wasQueued, machine.instance(id)?.state == .running { metrics.tryStarted(metricsTaskId(id)) }
            case .machine(let runEvent): actions += machine.handle(runEvent, now: now)
            case .tryEnded(let id, let tryNumber, let result):
                actions += await tryEnded(id, tryNumber, result, now: now, &batch)
            case .factoryBuilt(let id, let input, let result):
                actions += factoryBuilt(id, input: input, result, now: now, &batch)
            case .shutdown:
                stopping = true
                for entry in inFlight.values { entry.try.cancel() }
                for task in building.values { task.cancel() }
            case .externalChange:
                if let stored = try await engine.store.run(run.key), stored.state.isTerminal, finalState == nil {
                    actions += machine.handle(.cancelled, now: now)
                }
            }
        }
        var starts: [(String, Int)] = []
        var resumes: [(String, Int)] = []
        var callbacks: [CallbackInfo] = []
        // Free workers (one count for every queue the executor's pool serves): a try beyond
        // them waits in the executor, recorded `queued`.
        var free: Int?
        var index = 0
        while true {
            while index < actions.count {
                if case .resumeTry(let id, let tryNumber) = actions[index] {
                    resumes.append((id, tryNumber))
                } else {
                    await perform(actions[index], now: now, &actions, &batch, &starts, &callbacks)
                }
                index += 1
            }
            guard let granted = grantSlot() else { break }
            let hint = executor.freeWorkers(queue: graph[granted]?.options.queue ?? TaskOptions.defaultQueue)
            var queued = false
            if hint != .max {
                let workers = free ?? hint
                queued = workers <= 0
                free = workers - 1
            }
            actions += machine.handle(.slotGranted(granted, queued: queued), now: now)
        }
        let runEnded = actions.lazy.compactMap { action -> RunState? in
            if case .finishRun(let state) = action { state } else { nil }
        }.first
        await planNotifications(callbacks: callbacks, notices: notices, runEnded: runEnded, now: now, &batch)
        notices.removeAll()
        // Tries for remote workers are queued by this commit, with their `running` rows.
        var requests: [String: Result<TaskRequest, any Error>] = [:]
        for (id, tryNumber) in starts {
            do {
                let request = try await self.request(for: id, tryNumber: tryNumber)
                requests[id] = .success(request)
                if let entry = executor.stage(request, timeout: graph[id]?.options.executionTimeout) { batch.queuedTries.append(entry) }
            } catch {
                requests[id] = .failure(error)
            }
        }
        do { try await engine.store.commit(batch) } catch {
            executor.unstage(batch.queuedTries.map(\.key))
            throw error
        }
        for (id, tryNumber) in starts { await start(id, tryNumber: tryNumber, request: requests[id]) }
        for (id, tryNumber) in resumes {
            // Running already: its slot is taken whatever the limits say now.
            if let node = graph[id] { ledger.acquire(pool: node.options.pool, slots: node.options.poolSlots, dagId: dag.id) }
            await start(id, tryNumber: tryNumber)
        }
        for info in callbacks { callback(info) }
    }

    /// After an error that ends the drive (a commit failed): stops every try and build handed
    /// over, and gives their slots back, so that the run, taken up again, neither runs a try
    /// twice nor finds the slots gone.
    func abandon() {
        for timer in timers.values { timer.cancel() }
        for task in building.values { task.cancel() }
        for (id, entry) in inFlight {
            entry.try.cancel()
            releaseSlot(of: id)
        }
        inFlight.removeAll()
        building.removeAll()
    }

    /// Gives back the slot a try of `id` held.
    func releaseSlot(of id: String) {
        if let node = graph[id] { ledger.release(pool: node.options.pool, slots: node.options.poolSlots, dagId: dag.id) }
    }

    /// Takes a slot for the first ready task, if the limits allow.
    func grantSlot() -> String? {
        guard !stopping, finalState == nil, let id = ready.first, let node = graph[id] else { return nil }
        guard
            ledger.tryAcquire(
                pool: node.options.pool, slots: node.options.poolSlots, dagId: dag.id,
                maxActiveTasks: dag.maxActiveTasks)
        else { return nil }
        ready.pop()
        return id
    }

    func perform(
        _ action: RunAction, now: Date, _ actions: inout [RunAction], _ batch: inout StateBatch,
        _ starts: inout [(String, Int)], _ callbacks: inout [CallbackInfo]
    ) async {
        switch action {
        case .write(let instance): batch.instances.append(instance)
        case .recordTry(let entry): batch.tries.append(entry)
        case .setRunState(let state):
            run.state = state
            if state == .running, run.startDate == nil { run.startDate = now }
            if state.isTerminal { run.endDate = now }
            batch.runs.append(run)
        case .schedule(let id): ready.push(id, priority: graph[id]?.options.priority ?? 1)
        case .startTry(let id, let tryNumber):
            starts.append((id, tryNumber))
            if tryNumber > 1 { batch.clearedXComs.append(TaskKey(run.key, id)) }
            xcomCache[id] = nil
        case .retryAt(let id, let date):
            let clock = engine.clock
            timers[id]?.cancel()
            timers[id] = Task { [inbox] in
                do { try await clock.sleep(until: date) } catch { return }
                inbox.post(.machine(.retryDue(id)))
            }
        case .expandFactory(let id): actions += await build(id, now: now)
        case .cancelTry(let id): inFlight[id]?.try.cancel()
        case .resumeTry: break  // collected by `step`
        case .callback(let info): callbacks.append(info)
        case .finishRun(let state):
            finalState = state
            metrics.runEnded(state, duration: now.timeIntervalSince(run.startDate ?? now))
            for task in building.values { task.cancel() }
        }
    }
}
