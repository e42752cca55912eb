import Foundation
import Logging
import ServiceLifecycle
import UpdraftCore
import UpdraftStore

/// A remote worker (`updraft worker`): claims queued tries of its queues from the store in
/// batches, runs each in a worker process of this host (isolation, timeouts, kill), heartbeats
/// its claims, ships each try's log to the store, and reports the outcome under its claim.
///
/// A claim it can no longer renew (the run's owner interrupted it, or gave it up) stops its try
/// at once; when the store cannot be reached for two thirds of `leaseTimeout`, it stops every
/// try itself, before the claims run out and the owners run them again elsewhere. A try planned
/// with other DAG code than this binary's is refused with a failure that says so.
public struct WorkerService: Service {
    public let engine: Engine
    public let queues: [String]
    public let concurrency: Int
    /// The binary's version, recorded with the registration.
    public let version: String
    public let logger: Logger
    public let executorFactory: @Sendable () async throws -> any TaskExecutor
    /// Each registry DAG's structure hash, computed once (it is compared on every claimed try).
    private let structureHashes: [String: String]
    /// How often an idle worker looks at the queue when the store cannot signal (SQLite).
    public var idlePoll: Duration = .seconds(1)
    /// How often it looks anyway when the store signals new tries (`NOTIFY`): a missed signal
    /// costs at most this, and an idle worker makes well under one query a second.
    public var signalledPoll: Duration = .seconds(10)
    /// How often a running try's new log lines are shipped.
    public var logShipInterval: Duration = .seconds(1)

    public init(
        engine: Engine, queues: [String], concurrency: Int, version: String, logger: Logger,
        executorFactory: @escaping @Sendable () async throws -> any TaskExecutor
    ) {
        self.engine = engine; self.queues = queues; self.concurrency = max(1, concurrency); self.version = version
        self.logger = logger; self.executorFactory = executorFactory
        structureHashes = engine.registry.dags.mapValues(\.structureHash)
    }

    /// This process's id in the store: `host:pid:start`.
    public static var currentId: String {
        let me = ProcessIdentity.current
        return "\(me.host):\(me.pid):\(me.startTime)"
    }

    public func run() async throws {
        let id = Self.currentId
        let executor = try await executorFactory()
        let shutdown = ShutdownSignal()
        let tries = Locked(WorkerTries())
        let inbox = EventInbox<Void>()
        let startedAt = engine.clock.now
        logger.info(
            "worker started",
            metadata: ["id": "\(id)", "queues": "\(queues.joined(separator: ","))", "concurrency": "\(concurrency)"])
        let poll = engine.store is any QueueSignalling ? signalledPoll : idlePoll
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: poll)
                inbox.nudge()
            }
        }
        let listener = (engine.store as? QueueSignalling).map { signalling in
            Task { for await _ in signalling.signals(QueueChannel.queued) { inbox.nudge() } }
        }
        let heartbeat = Task { await beat(id: id, startedAt: startedAt, tries: tries) }
        // One loop ships the new log lines of every running try.
        let shipping = Task { [logShipInterval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: logShipInterval)
                for shipper in tries.withLock({ $0.running.values.map(\.shipper) }) { await shipper.ship() }
            }
        }
        // Runs claimed tries; each reports through `completer`, which the next lines set.
        let completer = Locked<BatchWriter<TryResult, Set<TryKey>>?>(nil)
        let launch: @Sendable ([(QueuedTry, TryClaim)], _ reserved: Int) -> Void = { [engine] claimed, reserved in
            let report = completer.withLock { $0! }
            tries.withLock { t in
                t.reserved -= reserved
                for (entry, claim) in claimed {
                    let key = entry.key
                    let shipper = LogShipper(
                        store: engine.store, key: key,
                        path: engine.home.logPath(dagId: key.dagId, runId: key.runId, taskId: key.taskId, tryNumber: key.tryNumber))
                    let task = Task {
                        await runTry(entry, claim, shipper: shipper, executor: executor, completer: report)
                        tries.withLock { _ = $0.running.removeValue(forKey: claim.key) }
                        inbox.nudge()
                    }
                    t.running[key] = RunningTry(claim: claim, task: task, shipper: shipper)
                }
            }
        }
        // Results that end together are stored in one write, which also claims what the worker
        // has room for once they are gone (one round trip for both). The write gets a third of
        // the lease: a network that drops packets makes a call hang, not fail.
        completer.withLock {
            // While more of its tries run than wait to be reported, a write waits 1 ms for them:
            // a 10,000-task fan-out made 38% fewer of them; a try that runs alone is reported at once.
            $0 = BatchWriter(linger: { waiting in tries.withLock { $0.running.count > waiting } ? .milliseconds(1) : nil }) {
                [engine, queues, concurrency] results in
                let limit = shutdown.isFired ? 0 : tries.withLock { $0.reserve(ending: results.count, concurrency: concurrency) }
                do {
                    let (refused, claimed) = try await Self.within(seconds: engine.leaseTimeout / 3) {
                        try await engine.store.completeAndClaim(
                            results, worker: id, queues: queues, limit: limit, now: engine.clock.now, timeout: engine.leaseTimeout)
                    }
                    launch(claimed, limit)
                    return refused
                } catch {
                    tries.withLock { $0.reserved -= limit }
                    throw error
                }
            }
        }
        await withGracefulShutdownHandler {
            var failing: String?
            var delay = 1.0
            while !shutdown.isFired && !Task.isCancelled {
                let free = tries.withLock { $0.reserve(ending: 0, concurrency: concurrency) }
                if free > 0 {
                    do {
                        let claimed: [(QueuedTry, TryClaim)]
                        do {
                            claimed = try await engine.store.claimTries(
                                worker: id, queues: queues, limit: free, now: engine.clock.now, timeout: engine.leaseTimeout)
                        } catch {
                            tries.withLock { $0.reserved -= free }
                            throw error
                        }
                        launch(claimed, free)
                        if failing != nil { logger.info("the state store answers again; claiming") }
                        failing = nil
                        delay = 1
                        if !claimed.isEmpty { continue }
                    } catch {
                        let text = "\(error)"
                        if failing != text { logger.error("cannot claim tries; backing off", metadata: ["error": "\(text)"]) }
                        failing = text
                        try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
                        delay = min(30, delay * 2)
                        continue
                    }
                }
                _ = await inbox.next()
            }
        } onGracefulShutdown: {
            logger.info("graceful shutdown: stopping the running tries (their runs' owners run them again)")
            shutdown.fire()
            inbox.nudge()
        }
        ticker.cancel()
        listener?.cancel()
        shipping.cancel()
        // A report under way may still claim a last batch: stop until none is left.
        while case let tasks = tries.withLock({ $0.running.values.map(\.task) }), !tasks.isEmpty {
            for task in tasks { task.cancel() }
            for task in tasks { await task.value }
        }
        heartbeat.cancel()
        await heartbeat.value
        await executor.shutdown()
        do { try await engine.store.removeWorker(id: id) } catch {
            logger.error("could not remove the worker's registration", metadata: ["error": "\(error)"])
        }
        logger.info("worker stopped")
    }

    /// Renews the claims and the registration every third of the lease timeout; stops a try whose
    /// claim was lost, and every try when the store has not answered for two thirds of it.
    func beat(id: String, startedAt: Date, tries: Locked<WorkerTries>) async {
        let me = ProcessIdentity.current
        var lastBeat = engine.clock.now
        var failing = false
        while !Task.isCancelled {
            let claims = tries.withLock { $0.running.values.map(\.claim) }
            let now = engine.clock.now
            do {
                // A network that drops packets makes a call hang, not fail: a renewal gets a third
                // of the lease, so that a silent store counts as a failure in time.
                let store = engine.store, timeout = engine.leaseTimeout
                let held = Set(
                    try await Self.within(seconds: timeout / 3) { try await store.renewClaims(claims, now: now, timeout: timeout) })
                for claim in claims where !held.contains(claim) {
                    logger.warning("claim lost; stopping the try", metadata: ["try": "\(claim.key)"])
                    tries.withLock { $0.running[claim.key]?.task.cancel() }
                }
                try await engine.store.saveWorker(
                    WorkerRecord(
                        id: id, kind: "worker", host: me.host, pid: me.pid, queues: queues, slots: concurrency,
                        running: held.count, version: version, startedAt: startedAt, heartbeatAt: now))
                if failing { logger.info("heartbeats reach the state store again") }
                failing = false
                lastBeat = now
            } catch {
                if !failing { logger.error("cannot heartbeat; retrying", metadata: ["error": "\(error)"]) }
                failing = true
                if now.timeIntervalSince(lastBeat) >= engine.leaseTimeout * 2 / 3, !claims.isEmpty {
                    logger.error(
                        "no heartbeat for \(Int(now.timeIntervalSince(lastBeat)))s: stopping my tries before their claims expire")
                    tries.withLock { for entry in $0.running.values { entry.task.cancel() } }
                }
            }
            let interval = failing ? min(1, engine.leaseTimeout / 6) : engine.leaseTimeout / 3
            do { try await engine.clock.sleep(until: engine.clock.now.addingTimeInterval(interval)) } catch { return }
        }
    }

    /// Runs one claimed try and reports its outcome under the claim.
    func runTry(
        _ entry: QueuedTry, _ claim: TryClaim, shipper: LogShipper, executor: any TaskExecutor,
        completer: BatchWriter<TryResult, Set<TryKey>>
    ) async {
        let outcome: RemoteOutcome
        var tail: (offset: Int64, bytes: [UInt8]) = (0, [])
        if let refusal = refusal(entry) {
            logger.error("refusing a try", metadata: ["try": "\(entry.key)", "reason": "\(refusal)"])
            outcome = .replied(TaskReply(outcome: .failed, error: refusal, errorType: "DAGVersionMismatch", retryable: true))
        } else {
            do {
                let job = try RemoteJob(payload: entry.payload)
                var request = job.request
                request.logPath = shipper.path
                request.storePath = engine.storePath
                let result = await executor.execute(request, timeout: job.timeoutSeconds.map { .milliseconds(Int64($0 * 1000)) })
                // The log's last lines travel in the result's write, not before it.
                tail = await shipper.finish()
                outcome = RemoteOutcome(result)
            } catch {
                outcome = .crashed("worker \(claim.worker) could not read the queued request (\(entry.payload.count) bytes): \(error)")
            }
        }
        // Stopping the try (its claim lost, or no heartbeat) must not stop the report of a try
        // that already ended: the report runs outside the try's task and its cancellation.
        let result = TryResult(claim: claim, result: outcome.stored, logOffset: tail.offset, logTail: tail.bytes)
        await Task { await report(result, completer) }.value
    }

    /// Stores the outcome under the claim. The claim outlives a short outage; after it expired the
    /// owner has interrupted the try, and the report only hears so (`claimLost`, logged). Tried
    /// for three lease timeouts, then given up.
    func report(_ result: TryResult, _ completer: BatchWriter<TryResult, Set<TryKey>>) async {
        let claim = result.claim
        var delay = 0.5
        let giveUp = Date().addingTimeInterval(engine.leaseTimeout * 3)
        var said = false
        while true {
            do {
                let refused = try await completer.submit(result)
                if refused.contains(claim.key) {
                    logger.warning("result refused: the claim was lost", metadata: ["try": "\(claim.key)"])
                } else if said {
                    logger.info("result reported", metadata: ["try": "\(claim.key)"])
                }
                return
            } catch {
                if !said { logger.error("cannot report a result; retrying", metadata: ["try": "\(claim.key)", "error": "\(error)"]) }
                said = true
                if Date() > giveUp {
                    logger.error("giving the result up: the store did not answer", metadata: ["try": "\(claim.key)"])
                    return
                }
                try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
                delay = min(delay * 2, max(0.5, engine.leaseTimeout / 3))
            }
        }
    }

    /// The value of `body`, or a `StoreError.database` when it takes longer than `seconds` (the
    /// body goes on, cancelled, in the background: a call stuck on a dead link may not notice).
    static func within<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let pending = Locked<CheckedContinuation<T, any Error>?>(nil)
        // An answer in time ends the timer at once: thousands of sleeping timers, one per
        // reported try, slowed the timer heap of a busy worker.
        let timer = Locked<Task<Void, Never>?>(nil)
        return try await withCheckedThrowingContinuation { continuation in
            pending.withLock { $0 = continuation }
            let work = Task {
                do {
                    let value = try await body()
                    pending.withLock { p in
                        defer { p = nil }; return p
                    }?.resume(returning: value)
                } catch {
                    pending.withLock { p in
                        defer { p = nil }; return p
                    }?.resume(throwing: error)
                }
                timer.withLock { $0 }?.cancel()
            }
            let deadline = Task {
                try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                guard
                    let late = pending.withLock({ p in
                        defer { p = nil }; return p
                    })
                else { return }
                work.cancel()
                late.resume(throwing: StoreError.database("no answer within \(Int(seconds.rounded()))s"))
            }
            timer.withLock { $0 = deadline }
            if pending.withLock({ $0 == nil }) { deadline.cancel() }
        }
    }

    /// Why this worker cannot run the try (unknown DAG, other code), or nil.
    func refusal(_ entry: QueuedTry) -> String? {
        let me = Self.currentId
        guard let hash = structureHashes[entry.key.dagId] else {
            return "worker \(me) (\(version)) has no DAG '\(entry.key.dagId)': deploy the same DAGs to every host"
        }
        guard entry.dagHash.isEmpty || hash == entry.dagHash else {
            return "worker \(me) (\(version)) has DAG '\(entry.key.dagId)' with structure \(hash), but the run was planned "
                + "with \(entry.dagHash): deploy the same DAGs to every host"
        }
        return nil
    }
}

/// A worker's claimed tries, and the slots a claim under way has reserved.
struct WorkerTries {
    var running: [TryKey: RunningTry] = [:]
    var reserved = 0

    /// How many tries to claim now, reserved until the claim returns: up to twice the slots, once
    /// no more than the slots are in hand (so that the next tries wait in this host's pool, not
    /// for a claim round trip, and a claim takes several). `ending` tries are about to leave.
    mutating func reserve(ending: Int, concurrency: Int) -> Int {
        let held = running.count - ending + reserved
        let free = held <= concurrency ? 2 * concurrency - held : 0
        reserved += free
        return free
    }
}

/// A claimed try in a worker: its claim, the task running it and its log's shipper.
struct RunningTry: Sendable {
    var claim: TryClaim
    var task: Task<Void, Never>
    var shipper: LogShipper
}

/// Ships what a try's log file gained since the last call to the store, in order; the worker's
/// shipping loop calls `ship`, and the try's end takes the rest (`finish`).
actor LogShipper {
    let store: any StateStore
    let key: TryKey
    nonisolated let path: String
    private var offset: Int64 = 0
    private var finished = false
    private var sending: Task<Void, Never>?

    init(store: any StateStore, key: TryKey, path: String) { self.store = store; self.key = key; self.path = path }

    /// The bytes the log gained since the last shipment (all of them) and where they start, once
    /// a shipment under way ended; no shipment follows.
    func finish() async -> (offset: Int64, bytes: [UInt8]) {
        finished = true
        await sending?.value
        guard let handle = FileHandle(forReadingAtPath: path) else { return (offset, []) }
        defer { try? handle.close() }  // read-only
        guard (try? handle.seek(toOffset: UInt64(offset))) != nil, let data = try? handle.readToEnd() else { return (offset, []) }
        return (offset, Array(data))
    }

    /// Sends the new bytes in chunks of up to 1 MiB; a store error leaves the rest for the next
    /// call (the file on this host keeps the whole log either way).
    func ship() async {
        guard !finished, sending == nil else { return }
        let task = Task { await send() }
        sending = task
        await task.value
        sending = nil
    }

    private func send() async {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        while !finished {
            let start = offset
            guard (try? handle.seek(toOffset: UInt64(start))) != nil,
                let data = try? handle.read(upToCount: 1 << 20), !data.isEmpty
            else { return }
            do { try await store.appendLogChunk(key, offset: start, bytes: Array(data)) } catch { return }
            offset = start + Int64(data.count)
        }
    }
}
