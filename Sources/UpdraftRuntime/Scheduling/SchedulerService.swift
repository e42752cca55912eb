import CoreMetrics
import Foundation
import Logging
import ServiceLifecycle
import UpdraftCore
import UpdraftStore
import UpdraftWorkers

/// The scheduler: creates due runs (cron, catchup, `maxActiveRuns`, pause), takes over queued
/// runs and runs of dead owners, and executes them with the worker pool.
///
/// Idle, it sleeps until the next due date or a wake-up (SIGUSR1 from the CLI); SIGTERM and
/// SIGINT (via swift-service-lifecycle) stop claiming work and hand running tries back.
///
/// ```swift
/// let group = ServiceGroup(configuration: .init(services: [scheduler],
///     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
/// try await group.run()
/// ```
public struct SchedulerService: Service {
    public let engine: Engine
    public let executorFactory: @Sendable () async throws -> any TaskExecutor
    public let logger: Logger
    /// How often runs of dead owners are looked for when nothing else wakes the scheduler.
    public var orphanCheckInterval: TimeInterval = 30
    /// Sends the outbox's messages while the scheduler runs; nil sends nothing.
    public var delivery: (any NotificationDelivery)?
    /// How often the outbox is looked at for due messages.
    public var deliveryInterval: TimeInterval = 5
    /// How often the rules that watch time (SLA, missed schedule, stale asset) are checked.
    public var notificationCheckInterval: TimeInterval = 10
    /// The queues this scheduler's own pool serves (shown by `schedulers list`).
    public var queues: [String] = []
    /// The binary's version, recorded with the scheduler's registration.
    public var version = ""

    public init(engine: Engine, logger: Logger, executorFactory: @escaping @Sendable () async throws -> any TaskExecutor) {
        self.engine = engine; self.logger = logger; self.executorFactory = executorFactory
    }

    /// The longest wait before the scheduler tries again a run that failed to execute, or a
    /// scheduling pass that failed (store errors); the wait doubles from one second up to this.
    public var maxRetryDelay: TimeInterval = 300
    /// With no run executing for this long, the scheduler gives its idle memory back once
    /// (``IdleMemory/release()``) until a run starts again; nil keeps it.
    public var releaseMemoryWhenIdle: TimeInterval?

    enum Wake: Sendable { case signal, timer, runEnded(RunKey), runFailed(RunKey, String), shutdown }

    public func run() async throws {
        let me = ProcessIdentity.current
        let inbox = EventInbox<Wake>()
        let shutdown = ShutdownSignal()
        // Ready for SIGUSR1 before the store lists this scheduler: the CLI signals any live
        // scheduler it finds there, and SIGUSR1's default action ends the process.
        let wakeUp = WakeUpSignal {
            inbox.post(.signal); shutdown.notifyExternalChange()
        }
        defer { wakeUp.cancel() }
        try await engine.store.registerScheduler(me, now: engine.clock.now)
        let executor: any TaskExecutor
        let ledger: SlotLedger
        do {
            executor = try await executorFactory()
            ledger = SlotLedger(parallelism: executor.handOffDepth, pools: try await engine.store.pools(), metrics: engine.metrics)
        } catch {
            await unregister(me)
            throw error
        }
        logger.info("scheduler started", metadata: ["pid": "\(me.pid)", "parallelism": "\(executor.capacity)"])
        let heartbeat = engine.metrics.schedulerHeartbeat()
        let sender = delivery.map { delivery in Task { await deliver(delivery) } }
        let registration = Task { [executor] in await register(me, slots: executor.capacity) }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                var running: Set<RunKey> = []
                var retries = RetryBook()
                var failedPasses = 0
                var timer: Task<Void, Never>?
                var checked: Date?
                // When memory is to be released next: idle for `releaseMemoryWhenIdle`, once per idle spell.
                var releaseAt = releaseMemoryWhenIdle.map { engine.clock.now.addingTimeInterval($0) }
                while !shutdown.isFired {
                    heartbeat?.increment(by: 1)
                    let now = engine.clock.now
                    if !running.isEmpty {
                        releaseAt = nil
                    } else if let after = releaseMemoryWhenIdle, releaseAt == nil {
                        releaseAt = now.addingTimeInterval(after)
                    } else if let at = releaseAt, at <= now {
                        releaseAt = .distantFuture
                        let mappings = IdleMemory.release()
                        logger.debug("idle: memory released", metadata: ["mappings": "\(mappings)"])
                    }
                    var wakeAt: Date?
                    var claimable: [DAGRun] = []
                    if checked.map({ now.timeIntervalSince($0) >= notificationCheckInterval }) ?? true {
                        checked = now
                        // Before due runs are created: a missed schedule is seen before it is caught up.
                        do { try await engine.checkNotificationRules(now: now) } catch {
                            logger.error("could not check the notification rules", metadata: ["error": "\(error)"])
                        }
                    }
                    do {
                        ledger.update(pools: try await engine.store.pools())
                        wakeAt = try await createDueRuns()
                        try await createAssetTriggeredRuns()
                        try await advanceBackfills()
                        claimable = try await claimableRuns(excluding: running, retries: retries, now: now)
                        failedPasses = 0
                    } catch {
                        failedPasses += 1
                        let delay = retryDelay(attempt: failedPasses)
                        logger.error(
                            "scheduling pass failed; trying again in \(Self.seconds(delay))",
                            metadata: ["error": "\(error)"])
                        wakeAt = now.addingTimeInterval(delay)
                    }
                    for run in claimable {
                        let key = run.key
                        running.insert(key)
                        logger.info("executing run", metadata: ["dag": "\(key.dagId)", "run": "\(key.runId)"])
                        group.addTask {
                            do {
                                let state = try await engine.execute(
                                    key, executor: executor, ledger: ledger,
                                    shutdown: shutdown)
                                logger.info(
                                    "run ended",
                                    metadata: [
                                        "dag": "\(key.dagId)", "run": "\(key.runId)",
                                        "state": "\(state?.rawValue ?? "handed back")",
                                    ])
                                inbox.post(.runEnded(key))
                            } catch RuntimeError.runOwned {
                                // Another scheduler took it first: its lease decides, nothing failed.
                                inbox.post(.runEnded(key))
                            } catch {
                                inbox.post(.runFailed(key, "\(error)"))
                            }
                        }
                    }
                    timer?.cancel()
                    let orphanCheck = now.addingTimeInterval(min(orphanCheckInterval, engine.leaseTimeout))
                    let idleRelease = running.isEmpty && claimable.isEmpty ? releaseAt : nil
                    let deadline = [wakeAt, retries.nextWaitEnd(after: now), orphanCheck, idleRelease]
                        .compactMap { $0 }.min()!
                    let clock = engine.clock
                    timer = Task {
                        do { try await clock.sleep(until: deadline) } catch { return }
                        inbox.post(.timer)
                    }
                    for event in await inbox.next() {
                        switch event {
                        case .runEnded(let key):
                            running.remove(key)
                            retries.forget(key)
                        case .runFailed(let key, let message):
                            running.remove(key)
                            let delay = retryDelay(attempt: retries.attempts(key) + 1)
                            retries.record(key, until: engine.clock.now.addingTimeInterval(delay))
                            logger.error(
                                "run failed to execute; trying it again in \(Self.seconds(delay))",
                                metadata: ["dag": "\(key.dagId)", "run": "\(key.runId)", "error": "\(message)"])
                        case .signal, .timer, .shutdown: break
                        }
                    }
                }
                timer?.cancel()
                await group.waitForAll()
            }
        } onGracefulShutdown: {
            logger.info("graceful shutdown: handing running tries back")
            shutdown.fire()
            inbox.post(.shutdown)
        }
        sender?.cancel()
        await sender?.value
        registration.cancel()
        await registration.value
        await executor.shutdown()
        await unregister(me)
        logger.info("scheduler stopped")
    }

    /// Sends due outbox messages every `deliveryInterval` until cancelled; a store error is
    /// logged once until delivery works again.
    func deliver(_ delivery: any NotificationDelivery) async {
        var failing = false
        while !Task.isCancelled {
            do {
                try await delivery.deliverDue(now: engine.clock.now)
                if failing { logger.info("notification delivery works again") }
                failing = false
            } catch {
                if !failing { logger.error("could not deliver notifications", metadata: ["error": "\(error)"]) }
                failing = true
            }
            do { try await engine.clock.sleep(until: engine.clock.now.addingTimeInterval(deliveryInterval)) } catch { return }
        }
    }

    /// Keeps this scheduler's registration fresh (`schedulers list`) every third of the lease
    /// timeout until cancelled, then removes it; a store error is logged once until it works again.
    func register(_ me: ProcessIdentity, slots: Int) async {
        let id = "\(me.host):\(me.pid):\(me.startTime)"
        let startedAt = engine.clock.now
        var failing = false
        while !Task.isCancelled {
            do {
                let running = try await engine.store.leases().filter { $0.owner == me }.count
                try await engine.store.saveWorker(
                    WorkerRecord(
                        id: id, kind: "scheduler", host: me.host, pid: me.pid, queues: queues, slots: slots, running: running,
                        version: version, startedAt: startedAt, heartbeatAt: engine.clock.now))
                failing = false
            } catch {
                if !failing { logger.error("could not record the scheduler's heartbeat", metadata: ["error": "\(error)"]) }
                failing = true
            }
            do { try await engine.clock.sleep(until: engine.clock.now.addingTimeInterval(engine.leaseTimeout / 3)) } catch { break }
        }
        do { try await engine.store.removeWorker(id: id) } catch {
            logger.error("could not remove the scheduler's registration", metadata: ["error": "\(error)"])
        }
    }

    /// Removes this scheduler from the store; a failure is logged (the entry of a dead process
    /// is ignored by everyone anyway).
    func unregister(_ me: ProcessIdentity) async {
        do { try await engine.store.unregisterScheduler(me) } catch {
            logger.error("could not unregister the scheduler", metadata: ["error": "\(error)"])
        }
    }

    /// 1 s, 2 s, 4 s … up to `maxRetryDelay`.
    func retryDelay(attempt: Int) -> TimeInterval {
        min(maxRetryDelay, pow(2, Double(min(max(attempt, 1), 30) - 1)))
    }

    static func seconds(_ delay: TimeInterval) -> String { "\(Int(delay.rounded()))s" }

    /// Creates the runs that are due for unpaused scheduled DAGs; returns the next due date.
    ///
    /// Where a DAG stands is its row's last scheduled interval, not its runs: `db clean` may
    /// delete runs without making the scheduler run their intervals again.
    func createDueRuns() async throws -> Date? {
        let entries = Dictionary(try await engine.store.dagEntries().map { ($0.dagId, $0) }, uniquingKeysWith: { $1 })
        var earliest: Date?
        let now = engine.clock.now
        for id in engine.registry.ids where entries[id]?.isPaused != true {
            let dag = engine.registry.dags[id]!
            if case .none = dag.schedule { continue }
            var last = entries[id]?.lastScheduledInterval
            // A backfill's runs count against the backfill's own limit, not the DAG's (as in Airflow).
            var active = try await engine.store.runs(RunQuery(dagId: id, states: [.queued, .running]))
                .filter { $0.backfillId == nil }.count
            while active < dag.maxActiveRuns,
                let interval = dag.schedule.nextDataInterval(
                    after: last, startDate: dag.startDate,
                    catchup: dag.catchup, now: now)
            {
                let key = RunKey(id, "scheduled__\(RunIdentifier.timestamp(interval.start))")
                // A logical date has one non-manual run: a backfill may have run this interval already.
                let existing = try await engine.store.runs(RunQuery(dagId: id, logicalDates: interval.start...interval.start))
                if try await engine.store.run(key) == nil, !existing.contains(where: { $0.runType != .manual }) {
                    do {
                        _ = try await engine.trigger(
                            dagId: id, logicalDate: interval.start, dataInterval: interval,
                            runType: .scheduled, triggeredBy: .timetable, runId: key.runId)
                        logger.info("created scheduled run", metadata: ["dag": "\(id)", "run": "\(key.runId)"])
                    } catch StoreError.duplicateRun {
                        // Another scheduler created it a moment ago: the run's key makes it one run.
                    }
                    active += 1
                }
                try await engine.store.setLastScheduledInterval(id, interval)
                if last == interval { break }
                last = interval
            }
            if let due = dag.schedule.nextDueDate(after: last, startDate: dag.startDate, catchup: dag.catchup, now: now) {
                earliest = min(earliest ?? due, due)
            }
        }
        return earliest
    }

    /// Queued runs (within the DAG's `maxActiveRuns`, or a backfill's, oldest first), running runs whose owner died, and runs
    /// this process holds the lease of but no longer executes (a store error ended their execution),
    /// except those waiting out a retry delay.
    func claimableRuns(
        excluding running: Set<RunKey>, retries: RetryBook = RetryBook(),
        now: Date? = nil
    ) async throws -> [DAGRun] {
        let now = now ?? engine.clock.now
        let me = ProcessIdentity.current
        let paused = Set(try await engine.store.dagEntries().filter(\.isPaused).map(\.dagId))
        // A lease whose heartbeat expired is claimable even when its owner looks alive.
        let leases = Dictionary(
            try await engine.store.leases().filter { $0.expiresAt >= now }.map { ($0.run, $0.owner) },
            uniquingKeysWith: { $1 })
        let candidates = try await engine.store.runs(RunQuery(states: [.queued, .running]))
            .filter { !running.contains($0.key) && engine.registry.dags[$0.dagId] != nil && !retries.isWaiting($0.key, now: now) }
            .sorted { $0.queuedAt < $1.queuedAt }
        var activeByDAG: [String: Int] = [:]
        var gate = BackfillGate(try await engine.store.backfills(dagId: nil, activeOnly: true))
        for run in candidates where run.state == .running {
            if let backfillId = run.backfillId { gate.noteRunning(backfillId) } else { activeByDAG[run.dagId, default: 0] += 1 }
        }
        var result: [DAGRun] = []
        for run in candidates {
            if let owner = leases[run.key], owner != me, owner.isAlive { continue }
            if run.state == .running { result.append(run); continue }
            // A backfill's runs follow the backfill's pause flag and limit, not the DAG's.
            if let backfillId = run.backfillId {
                if gate.admit(backfillId) { result.append(run) }
                continue
            }
            if paused.contains(run.dagId) { continue }
            let dag = engine.registry.dags[run.dagId]!
            guard activeByDAG[run.dagId, default: 0] < dag.maxActiveRuns else { continue }
            activeByDAG[run.dagId, default: 0] += 1
            result.append(run)
        }
        return result
    }
}

/// Runs whose execution failed, with how often and until when the scheduler waits to try again.
struct RetryBook: Sendable {
    private var entries: [RunKey: (attempts: Int, until: Date)] = [:]

    func attempts(_ key: RunKey) -> Int { entries[key]?.attempts ?? 0 }
    func isWaiting(_ key: RunKey, now: Date) -> Bool { entries[key].map { $0.until > now } ?? false }
    /// The earliest end of a wait still under way at `now`, if any.
    func nextWaitEnd(after now: Date) -> Date? { entries.values.map(\.until).filter { $0 > now }.min() }
    mutating func record(_ key: RunKey, until: Date) { entries[key] = (attempts(key) + 1, until) }
    mutating func forget(_ key: RunKey) { entries[key] = nil }
}

extension SchedulerService {
    /// Runs a scheduler under a `ServiceGroup` until SIGTERM or SIGINT.
    public static func runUntilSignalled(
        engine: Engine, delivery: (any NotificationDelivery)? = nil, queues: [String] = [], version: String = "",
        releaseMemoryWhenIdle: TimeInterval? = nil, executorFactory: @escaping @Sendable () async throws -> any TaskExecutor
    ) async throws {
        var logger = Logger(label: "updraft.scheduler")
        logger.logLevel = .info
        var service = SchedulerService(engine: engine, logger: logger, executorFactory: executorFactory)
        service.delivery = delivery
        service.queues = queues
        service.version = version
        service.releaseMemoryWhenIdle = releaseMemoryWhenIdle
        let group = ServiceGroup(
            configuration: .init(
                services: [service], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
