import Foundation
import Logging
import UpdraftCore
import UpdraftStore

/// Runs the tries of the queues this process serves in `local`, and puts every other try on the
/// store's task queue for a remote worker (`updraft worker`), then waits for its one result. A
/// run's owner stages those tries (`stage`), so that their queue rows go in the commit that
/// records them `running`; a try that was not staged is queued by `execute` itself.
///
/// A factory's build always runs locally (it is deterministic code of the DAG, and the run's
/// owner expands the graph itself). One watcher reads every awaited try in one query per wake-up:
/// a store that signals (`QueueSignalling`, PostgreSQL's `NOTIFY`) wakes it per finished try,
/// with a sweep every `sweepInterval`; others are read every `pollInterval`. A claim whose
/// heartbeat expired is interrupted here (the owner decides), so the try is recorded
/// `interrupted` and run again without using a retry, and its worker's late result is refused.
public final class QueueRoutingExecutor: TaskExecutor, @unchecked Sendable {
    public let local: any TaskExecutor
    /// Queues whose tries run in `local`.
    public let localQueues: Set<String>
    public let capacity: Int
    let store: any StateStore
    let clock: any EngineClock
    let pollInterval: Duration
    let sweepInterval: Duration
    let logger: Logger
    private let state = Locked(WatchState())
    private let inbox = EventInbox<TryKey>()
    /// Tries started at about the same time go to the store in one write.
    private let enqueuer: BatchWriter<QueuedTry, Void>

    struct WatchState {
        var waiters: [TryKey: CheckedContinuation<ExecutionResult, Never>] = [:]
        /// Tries staged for a commit whose `execute` has not begun waiting yet.
        var staged: Set<TryKey> = []
        /// Results of staged tries that came before their `execute` did.
        var early: [TryKey: ExecutionResult] = [:]
        var cancelled: Set<TryKey> = []
        var watcher: Task<Void, Never>?
        var listener: Task<Void, Never>?
        /// The listener receives every finished signal from now on: a try queued after this needs
        /// no read of its own to catch a result that came before its waiter.
        var listening = false
        var lastError: String?
    }

    /// `remoteSlots` is how many remote tries this process keeps in flight at once (added to
    /// `local.capacity`; the slot ledger's parallelism follows it).
    public init(
        local: any TaskExecutor, localQueues: Set<String>, store: any StateStore, clock: any EngineClock = SystemClock(),
        remoteSlots: Int = 256, pollInterval: Duration = .milliseconds(25), sweepInterval: Duration = .seconds(1),
        logger: Logger = Logger(label: "updraft.queue")
    ) {
        self.local = local; self.localQueues = localQueues; self.store = store; self.clock = clock
        self.capacity = local.capacity + max(0, remoteSlots)
        self.pollInterval = pollInterval; self.sweepInterval = sweepInterval; self.logger = logger
        enqueuer = BatchWriter { [store] entries in try await store.enqueueTries(entries) }
    }

    public func execute(_ request: TaskRequest, timeout: Duration?) async -> ExecutionResult {
        if request.buildInput != nil || localQueues.contains(request.queue) {
            return await local.execute(request, timeout: timeout)
        }
        let key = TryKey(dagId: request.dagId, runId: request.runId, taskId: request.taskId, tryNumber: request.tryNumber)
        // A staged try was queued by its owner's commit; another is queued now, staged first so
        // that a result signalled before the wait begins is kept for it.
        if state.withLock({ $0.staged.insert(key).inserted }) {
            do {
                try await enqueuer.submit(try entry(request, timeout: timeout))
            } catch {
                unstage([key])
                return .crashed("could not queue the try for a worker of queue '\(request.queue)': \(error)")
            }
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in register(key, continuation) }
        } onCancel: {
            Task { await self.cancel(key) }
        }
    }

    public func stage(_ request: TaskRequest, timeout: Duration?) -> QueuedTry? {
        guard request.buildInput == nil, !localQueues.contains(request.queue),
            let entry = try? entry(request, timeout: timeout)  // `execute` queues it then, and reports the error
        else { return nil }
        state.withLock { s in
            s.staged.insert(entry.key)
            startListener(&s)
        }
        return entry
    }

    public func unstage(_ keys: [TryKey]) {
        state.withLock { s in
            for key in keys {
                s.staged.remove(key)
                s.early[key] = nil
            }
        }
    }

    /// The queue row of a remote try.
    private func entry(_ request: TaskRequest, timeout: Duration?) throws -> QueuedTry {
        let key = TryKey(dagId: request.dagId, runId: request.runId, taskId: request.taskId, tryNumber: request.tryNumber)
        let job = RemoteJob(request: request, timeoutSeconds: timeout.map(\.seconds))
        return QueuedTry(
            key: key, queue: request.queue, priority: request.priority, payload: try job.payload(), dagHash: request.dagHash,
            enqueuedAt: clock.now)
    }

    public func start(
        _ request: TaskRequest, timeout: Duration?, started: (@Sendable () -> Void)?,
        completion: @escaping @Sendable (ExecutionResult) -> Void
    ) -> StartedTry? {
        guard request.buildInput != nil || localQueues.contains(request.queue) else { return nil }
        return local.start(request, timeout: timeout, started: started, completion: completion)
    }

    /// The local executor's depth, and twice the remote slots.
    public var handOffDepth: Int { local.handOffDepth + 2 * (capacity - local.capacity) }

    /// The local executor's free workers for a local queue; a remote try is `running` once queued
    /// (a remote worker claims it from the store).
    public func freeWorkers(queue: String) -> Int {
        localQueues.contains(queue) ? local.freeWorkers(queue: queue) : .max
    }

    /// The local executor's: its tries' results arrive there; remote ones wake it as they would any thread.
    public var driverExecutor: (any _Concurrency.TaskExecutor)? { local.driverExecutor }

    public func resumable(_ key: TryKey, queue: String) async throws -> Bool {
        guard !localQueues.contains(queue), let record = try await store.queuedTry(key) else { return false }
        return record.state != .interrupted
    }

    public func shutdown() async {
        let tasks = state.withLock { s in
            defer { s.watcher = nil; s.listener = nil }
            return [s.watcher, s.listener]
        }
        for task in tasks { task?.cancel() }
        await local.shutdown()
    }

    private func register(_ key: TryKey, _ continuation: CheckedContinuation<ExecutionResult, Never>) {
        enum Next { case wait(listening: Bool), cancelled, ended(ExecutionResult) }
        let next = state.withLock { s -> Next in
            s.staged.remove(key)
            if let result = s.early.removeValue(forKey: key) { return .ended(result) }
            if s.cancelled.remove(key) != nil { return .cancelled }
            s.waiters[key] = continuation
            if s.watcher == nil { s.watcher = Task { [weak self] in await self?.watch() } }
            startListener(&s)
            return .wait(listening: s.listening)
        }
        switch next {
        case .ended(let result): continuation.resume(returning: result)
        case .cancelled: continuation.resume(returning: .cancelled)
        case .wait(let listening):
            // Its result may have been signalled before anyone listened: read it once.
            if !listening { inbox.post(key) }
        }
    }

    /// Listens for finished tries when the store signals them (once).
    private func startListener(_ s: inout WatchState) {
        guard s.listener == nil, let signalling = store as? QueueSignalling else { return }
        let inbox = self.inbox
        s.listener = Task { [weak self] in
            for await text in signalling.signals(QueueChannel.finished) {
                if text == QueueChannel.listening {
                    self?.state.withLock { $0.listening = true }
                    continue
                }
                guard let signal = FinishedSignal(text: text) else { continue }
                // A result that came with its signal is committed: no need to read it back.
                if let result = signal.result {
                    self?.finish(signal.key, RemoteOutcome.decode(result, worker: "?"))
                } else {
                    inbox.post(signal.key)
                }
            }
        }
    }

    /// The run's owner gave the try up (run cancelled, shutdown): it leaves the queue, and a
    /// worker running it stops at its next heartbeat.
    private func cancel(_ key: TryKey) async {
        do { _ = try await store.interruptTry(key, reason: "given up by the run's owner", now: clock.now, force: true) } catch {
            // The try stays on the queue; a later owner of the run finds it there and waits for it.
            logger.warning("could not take a given-up try off the queue", metadata: ["try": "\(key)", "error": "\(error)"])
        }
        let waiter = state.withLock { s in
            guard let waiter = s.waiters.removeValue(forKey: key) else {
                s.cancelled.insert(key)
                return CheckedContinuation<ExecutionResult, Never>?.none
            }
            return waiter
        }
        waiter?.resume(returning: .cancelled)
    }

    /// Reads the awaited tries when woken (signalled keys) or on each tick (all of them).
    private func watch() async {
        let signalled = store is QueueSignalling
        let tick = signalled ? sweepInterval : pollInterval
        let inbox = self.inbox
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: tick)
                inbox.nudge()
            }
        }
        defer { ticker.cancel() }
        // A wake-up may come with no key (the ticker, or one left over from keys already taken):
        // with signals, all awaited tries are read only once a sweep is due.
        var nextSweep = ContinuousClock.now + tick
        while !Task.isCancelled {
            let woken = await inbox.next()
            let sweep = !signalled || ContinuousClock.now >= nextSweep
            if sweep { nextSweep = ContinuousClock.now + tick }
            // The awaited keys are looked up, not copied, on a signalled wake-up (a fan-out
            // wakes this loop once per try).
            let keys = state.withLock { s in sweep ? Array(s.waiters.keys) : woken.filter { s.waiters[$0] != nil } }
            guard !keys.isEmpty else { continue }
            await check(keys)
        }
    }

    private func check(_ keys: [TryKey]) async {
        let records: [QueuedTryRecord]
        do {
            records = try await store.queuedTries(keys)
            state.withLock { $0.lastError = nil }
        } catch {
            // Said once until the store answers again; the tries stay awaited.
            let text = "\(error)"
            if state.withLock({ s in
                defer { s.lastError = text }; return s.lastError != text
            }) {
                logger.warning("cannot read the task queue; waiting for it", metadata: ["error": "\(text)"])
            }
            return
        }
        let now = clock.now
        var found = Set<TryKey>()
        for record in records {
            let key = record.entry.key
            found.insert(key)
            switch record.state {
            case .queued: continue
            case .done:
                finish(key, RemoteOutcome.decode(record.result, worker: record.worker ?? "?"))
            case .interrupted:
                finish(key, .interrupted(record.reason ?? "interrupted"))
            case .running:
                guard let expires = record.expiresAt, expires < now else { continue }
                let reason =
                    "worker \(record.worker ?? "?") stopped heartbeating (last heartbeat \(record.heartbeatAt.map { TaskLog.timestamp($0) } ?? "-"))"
                do {
                    if try await store.interruptTry(key, reason: reason, now: now, force: false) {
                        finish(key, .interrupted(reason))
                    } else {
                        inbox.post(key)  // it changed meanwhile: read it again
                    }
                } catch {
                    logger.warning("cannot interrupt an expired claim", metadata: ["try": "\(key)", "error": "\(error)"])
                }
            }
        }
        for key in keys where !found.contains(key) {
            finish(key, .interrupted("its row left the task queue (the run was deleted?)"))
        }
    }

    /// Hands the result to its waiter, or keeps it for a staged try whose `execute` comes later.
    fileprivate func finish(_ key: TryKey, _ result: ExecutionResult) {
        state.withLock { s -> CheckedContinuation<ExecutionResult, Never>? in
            if let waiter = s.waiters.removeValue(forKey: key) { return waiter }
            if s.staged.contains(key) { s.early[key] = result }
            return nil
        }?.resume(returning: result)
    }
}

/// What a remote worker gets: the request and its time limit.
struct RemoteJob: Codable, Sendable {
    var request: TaskRequest
    var timeoutSeconds: Double?
}

/// How a remote try ended, as the worker stores it.
enum RemoteOutcome: Codable, Sendable {
    case replied(TaskReply)
    case crashed(String)
    case timedOut(seconds: Double)
    case cancelled

    init(_ result: ExecutionResult) {
        switch result {
        case .replied(let reply): self = .replied(reply)
        case .crashed(let message): self = .crashed(message)
        case .timedOut(let limit): self = .timedOut(seconds: limit.seconds)
        case .cancelled: self = .cancelled
        case .interrupted(let reason): self = .crashed("interrupted: \(reason)")
        }
    }

    var result: ExecutionResult {
        switch self {
        case .replied(let reply): .replied(reply)
        case .crashed(let message): .crashed(message)
        case .timedOut(let seconds): .timedOut(.milliseconds(Int64(seconds * 1000)))
        case .cancelled: .interrupted("its worker stopped before the try ended")
        }
    }

    static func decode(_ bytes: [UInt8]?, worker: String) -> ExecutionResult {
        guard let bytes else { return .crashed("worker \(worker) stored no result") }
        do { return try RemoteOutcome(stored: bytes).result } catch {
            return .crashed("worker \(worker) stored an unreadable result (\(bytes.count) bytes): \(error)")
        }
    }
}

/// Writes items in batches: an item submitted while a write is under way joins the next one, so
/// a burst of submissions costs a few writes, not one each. Each submitter hears its batch's outcome.
/// `linger`, asked with the number of items waiting before each write, may hold the write back
/// once for a moment while more items are expected (a worker with other tries still running).
final class BatchWriter<Item: Sendable, Output: Sendable>: Sendable {
    private let state = Locked<(pending: [(Item, CheckedContinuation<Output, any Error>)], writing: Bool)>(([], false))
    private let write: @Sendable ([Item]) async throws -> Output
    private let linger: @Sendable (Int) -> Duration?

    init(
        linger: @escaping @Sendable (Int) -> Duration? = { _ in nil }, write: @escaping @Sendable ([Item]) async throws -> Output
    ) {
        self.linger = linger
        self.write = write
    }

    func submit(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Output, any Error>) in
            let start = state.withLock { s -> Bool in
                s.pending.append((item, continuation))
                if s.writing { return false }
                s.writing = true
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            // Nothing waiting means no write: the loop ends below without a pause.
            let waiting = state.withLock { $0.pending.count }
            if waiting > 0, let pause = linger(waiting) { try? await Task.sleep(for: pause) }
            let batch = state.withLock { s -> [(Item, CheckedContinuation<Output, any Error>)] in
                let batch = s.pending
                s.pending = []
                if batch.isEmpty { s.writing = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                let output = try await write(batch.map(\.0))
                for (_, continuation) in batch { continuation.resume(returning: output) }
            } catch {
                for (_, continuation) in batch { continuation.resume(throwing: error) }
            }
        }
    }
}
