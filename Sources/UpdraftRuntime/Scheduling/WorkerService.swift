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
        let running = Locked<[TryKey: (claim: TryClaim, task: Task<Void, Never>)]>([:])
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
        let heartbeat = Task { await beat(id: id, startedAt: startedAt, running: running) }
        // Results that end together are stored in one write.
        let completer = BatchWriter<TryResult, Set<TryKey>> { [engine] results in
            try await engine.store.completeTries(results, now: engine.clock.now)
        }
        await withGracefulShutdownHandler {
            var failing: String?
            var delay = 1.0
            while !shutdown.isFired && !Task.isCancelled {
                // Up to twice its slots: the next tries wait in this host's pool, not for a claim round trip.
                let free = 2 * concurrency - running.withLock { $0.count }
                if free > 0 {
                    do {
                        let claimed = try await engine.store.claimTries(
                            worker: id, queues: queues, limit: free, now: engine.clock.now, timeout: engine.leaseTimeout)
                        if failing != nil { logger.info("the state store answers again; claiming") }
                        failing = nil
                        delay = 1
                        for (entry, claim) in claimed {
                            let task = Task {
                                await runTry(entry, claim, executor: executor, completer: completer)
                                running.withLock { _ = $0.removeValue(forKey: claim.key) }
                                inbox.nudge()
                            }
                            running.withLock { $0[claim.key] = (claim, task) }
                        }
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
        let tasks = running.withLock { $0.values.map(\.task) }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
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
    func beat(id: String, startedAt: Date, running: Locked<[TryKey: (claim: TryClaim, task: Task<Void, Never>)]>) async {
        let me = ProcessIdentity.current
        var lastBeat = engine.clock.now
        var failing = false
        while !Task.isCancelled {
            let claims = running.withLock { $0.values.map(\.claim) }
            let now = engine.clock.now
            do {
                // A network that drops packets makes a call hang, not fail: a renewal gets a third
                // of the lease, so that a silent store counts as a failure in time.
                let store = engine.store, timeout = engine.leaseTimeout
                let held = Set(
                    try await Self.within(seconds: timeout / 3) { try await store.renewClaims(claims, now: now, timeout: timeout) })
                for claim in claims where !held.contains(claim) {
                    logger.warning("claim lost; stopping the try", metadata: ["try": "\(claim.key)"])
                    running.withLock { $0[claim.key]?.task.cancel() }
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
                    running.withLock { for entry in $0.values { entry.task.cancel() } }
                }
            }
            let interval = failing ? min(1, engine.leaseTimeout / 6) : engine.leaseTimeout / 3
            do { try await engine.clock.sleep(until: engine.clock.now.addingTimeInterval(interval)) } catch { return }
        }
    }

    /// Runs one claimed try and reports its outcome under the claim.
    func runTry(
        _ entry: QueuedTry, _ claim: TryClaim, executor: any TaskExecutor, completer: BatchWriter<TryResult, Set<TryKey>>
    ) async {
        let outcome: RemoteOutcome
        var tail: (offset: Int64, bytes: [UInt8]) = (0, [])
        if let refusal = refusal(entry) {
            logger.error("refusing a try", metadata: ["try": "\(entry.key)", "reason": "\(refusal)"])
            outcome = .replied(TaskReply(outcome: .failed, error: refusal, errorType: "DAGVersionMismatch", retryable: true))
        } else if let job = try? PayloadCoding.decoder.decode(RemoteJob.self, from: Data(entry.payload)) {
            var request = job.request
            request.logPath = engine.home.logPath(
                dagId: request.dagId, runId: request.runId, taskId: request.taskId, tryNumber: request.tryNumber)
            request.storePath = engine.storePath
            let shipper = LogShipper(store: engine.store, key: entry.key, path: request.logPath)
            let shipping = Task { [logShipInterval] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: logShipInterval)
                    await shipper.ship()
                }
            }
            let result = await executor.execute(request, timeout: job.timeoutSeconds.map { .milliseconds(Int64($0 * 1000)) })
            shipping.cancel()
            await shipping.value
            // The log's last lines travel in the result's write, not before it.
            tail = shipper.tail()
            outcome = RemoteOutcome(result)
        } else {
            outcome = .crashed("worker \(claim.worker) could not read the queued request (\(entry.payload.count) bytes)")
        }
        // Stopping the try (its claim lost, or no heartbeat) must not stop the report of a try
        // that already ended: the report runs outside the try's task and its cancellation.
        let result = TryResult(claim: claim, result: outcome.encoded, logOffset: tail.offset, logTail: tail.bytes)
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
                let refused = try await Self.within(seconds: engine.leaseTimeout / 3) { try await completer.submit(result) }
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

/// Ships what a try's log file gained since the last call to the store, in order.
final class LogShipper: @unchecked Sendable {
    let store: any StateStore
    let key: TryKey
    let path: String
    private let offset = Locked<Int64>(0)

    init(store: any StateStore, key: TryKey, path: String) { self.store = store; self.key = key; self.path = path }

    /// The bytes the log gained since the last shipment (all of them), and where they start.
    func tail() -> (offset: Int64, bytes: [UInt8]) {
        let start = offset.withLock { $0 }
        guard let handle = FileHandle(forReadingAtPath: path) else { return (start, []) }
        defer { try? handle.close() }  // read-only
        guard (try? handle.seek(toOffset: UInt64(start))) != nil, let data = try? handle.readToEnd() else { return (start, []) }
        return (start, Array(data))
    }

    /// Sends the new bytes in chunks of up to 1 MiB; a store error leaves the rest for the next
    /// call (the file on this host keeps the whole log either way).
    func ship() async {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        while true {
            let start = offset.withLock { $0 }
            guard (try? handle.seek(toOffset: UInt64(start))) != nil,
                let data = try? handle.read(upToCount: 1 << 20), !data.isEmpty
            else { return }
            do { try await store.appendLogChunk(key, offset: start, bytes: Array(data)) } catch { return }
            offset.withLock { $0 = start + Int64(data.count) }
        }
    }
}
