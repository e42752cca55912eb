import Foundation
import Logging
import ServiceLifecycle
import UpdraftCore
import UpdraftStore

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

    public init(engine: Engine, logger: Logger, executorFactory: @escaping @Sendable () async throws -> any TaskExecutor) {
        self.engine = engine; self.logger = logger; self.executorFactory = executorFactory
    }

    enum Wake: Sendable { case signal, timer, runEnded(String), shutdown }

    public func run() async throws {
        let me = ProcessIdentity.current
        let inbox = EventInbox<Wake>()
        let shutdown = ShutdownSignal()
        // Ready for SIGUSR1 before the store lists this scheduler: the CLI signals any live
        // scheduler it finds there, and SIGUSR1's default action ends the process.
        let wakeUp = WakeUpSignal { inbox.post(.signal); shutdown.notifyExternalChange() }
        defer { wakeUp.cancel() }
        try engine.store.registerScheduler(me, now: engine.clock.now)
        defer { try? engine.store.unregisterScheduler(me) }
        let executor = try await executorFactory()
        let ledger = SlotLedger(parallelism: executor.capacity * 2, pools: try engine.store.pools())
        logger.info("scheduler started", metadata: ["pid": "\(me.pid)", "parallelism": "\(executor.capacity)"])
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                var running: Set<String> = []
                var timer: Task<Void, Never>?
                while !shutdown.isFired {
                    ledger.update(pools: (try? engine.store.pools()) ?? [])
                    let wakeAt = (try? createDueRuns()) ?? nil
                    for run in (try? claimableRuns(excluding: running)) ?? [] {
                        running.insert(run.runId)
                        logger.info("executing run", metadata: ["dag": "\(run.dagId)", "run": "\(run.runId)"])
                        group.addTask {
                            do {
                                let state = try await engine.execute(runId: run.runId, executor: executor,
                                                                     ledger: ledger, shutdown: shutdown)
                                logger.info("run ended", metadata: ["run": "\(run.runId)", "state": "\(state?.rawValue ?? "handed back")"])
                            } catch {
                                logger.error("run failed to execute", metadata: ["run": "\(run.runId)", "error": "\(error)"])
                            }
                            inbox.post(.runEnded(run.runId))
                        }
                    }
                    timer?.cancel()
                    let deadline = min(wakeAt ?? .distantFuture, engine.clock.now.addingTimeInterval(orphanCheckInterval))
                    let clock = engine.clock
                    timer = Task {
                        do { try await clock.sleep(until: deadline) } catch { return }
                        inbox.post(.timer)
                    }
                    for event in await inbox.next() {
                        if case .runEnded(let id) = event { running.remove(id) }
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
        await executor.shutdown()
        logger.info("scheduler stopped")
    }

    /// Creates the runs that are due for unpaused scheduled DAGs; returns the next due date.
    func createDueRuns() throws -> Date? {
        let paused = Set(try engine.store.dagEntries().filter(\.isPaused).map(\.dagId))
        var earliest: Date?
        let now = engine.clock.now
        for id in engine.registry.ids where !paused.contains(id) {
            let dag = engine.registry.dags[id]!
            if case .none = dag.schedule { continue }
            var last = try engine.store.runs(RunQuery(dagId: id, runTypes: [.scheduled], limit: 1)).first?.dataInterval
            var active = try engine.store.runs(RunQuery(dagId: id, states: [.queued, .running])).count
            while active < dag.maxActiveRuns,
                  let interval = dag.schedule.nextDataInterval(after: last, startDate: dag.startDate,
                                                               catchup: dag.catchup, now: now) {
                let runId = "scheduled__\(RunIdentifier.timestamp(interval.start))"
                if try engine.store.run(runId) == nil {
                    _ = try engine.trigger(dagId: id, logicalDate: interval.start, dataInterval: interval,
                                           runType: .scheduled, runId: runId)
                    logger.info("created scheduled run", metadata: ["dag": "\(id)", "run": "\(runId)"])
                    active += 1
                }
                if last == interval { break }
                last = interval
            }
            if let due = dag.schedule.nextDueDate(after: last, startDate: dag.startDate, catchup: dag.catchup, now: now) {
                earliest = min(earliest ?? due, due)
            }
        }
        return earliest
    }

    /// Queued runs (within `maxActiveRuns`, oldest first) and running runs whose owner died.
    func claimableRuns(excluding running: Set<String>) throws -> [DAGRun] {
        let paused = Set(try engine.store.dagEntries().filter(\.isPaused).map(\.dagId))
        let leases = Dictionary(try engine.store.leases().map { ($0.runId, $0.owner) }, uniquingKeysWith: { $1 })
        let candidates = try engine.store.runs(RunQuery(states: [.queued, .running]))
            .filter { !running.contains($0.runId) && engine.registry.dags[$0.dagId] != nil }
            .sorted { $0.queuedAt < $1.queuedAt }
        var activeByDAG: [String: Int] = [:]
        for run in candidates where run.state == .running { activeByDAG[run.dagId, default: 0] += 1 }
        var result: [DAGRun] = []
        for run in candidates {
            if let owner = leases[run.runId], owner.isAlive { continue }
            if run.state == .running { result.append(run); continue }
            if paused.contains(run.dagId) { continue }
            let dag = engine.registry.dags[run.dagId]!
            guard activeByDAG[run.dagId, default: 0] < dag.maxActiveRuns else { continue }
            activeByDAG[run.dagId, default: 0] += 1
            result.append(run)
        }
        return result
    }
}

extension SchedulerService {
    /// Runs a scheduler under a `ServiceGroup` until SIGTERM or SIGINT.
    public static func runUntilSignalled(engine: Engine,
                                         executorFactory: @escaping @Sendable () async throws -> any TaskExecutor) async throws {
        var logger = Logger(label: "updraft.scheduler")
        logger.logLevel = .info
        let service = SchedulerService(engine: engine, logger: logger, executorFactory: executorFactory)
        let group = ServiceGroup(configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        try await group.run()
    }
}
