import Foundation
import Logging
import Testing
import UpdraftCore
import UpdraftPostgres
import UpdraftStore
import UpdraftTesting

@testable import UpdraftRuntime

/// Tries of queues the owner does not serve go through the store's queue to a worker
/// (`WorkerService`), in this process over one store: results, XCom, shipped logs, expired
/// claims, refused code and a takeover that waits for a try instead of running it twice.
@Suite struct RemoteWorkerTests {
    static func home() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("updraft-remote-\(UUID().uuidString)").path
    }

    /// `leaseTimeout`: tests about something else than heartbeats give it room, so that a machine
    /// loaded enough to delay a renewal past a third of it does not interrupt their tries.
    static func engine(
        _ dags: [DAG], store: any StateStore, clock: any EngineClock = SystemClock(), home: String, leaseTimeout: TimeInterval = 600
    ) async throws -> Engine {
        let engine = Engine(
            home: EngineHome(home), store: store, registry: try DAGRegistry(dags), clock: clock, leaseTimeout: leaseTimeout)
        try await engine.syncDAGs()
        return engine
    }

    /// The owner's executor: `default` runs here, every other queue goes to the store.
    static func routing(_ engine: Engine) -> QueueRoutingExecutor {
        QueueRoutingExecutor(
            local: InProcessExecutor(registry: engine.registry, store: engine.store), localQueues: ["default"],
            store: engine.store, clock: engine.clock, pollInterval: .milliseconds(5))
    }

    /// A worker of `queues` over `engine` (its own registry), polling often, until the returned task is cancelled.
    static func startWorker(_ engine: Engine, queues: [String] = ["remote"]) -> Task<Void, Never> {
        var worker = WorkerService(
            engine: engine, queues: queues, concurrency: 4, version: "test", logger: Logger(label: "test.worker")
        ) { InProcessExecutor(registry: engine.registry, store: engine.store) }
        worker.idlePoll = .milliseconds(10)
        worker.logShipInterval = .milliseconds(20)
        return Task { try? await worker.run() }
    }

    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await condition()
    }

    static let remote = TaskOptions(queue: "remote")

    /// Memory and SQLite; PostgreSQL too (woken by `NOTIFY`) when `UPDRAFT_TEST_POSTGRES_URL` names a server.
    static let stores =
        ["memory", "sqlite"] + (ProcessInfo.processInfo.environment["UPDRAFT_TEST_POSTGRES_URL"].map { _ in ["postgres"] } ?? [])

    static func store(_ kind: String, home: String) async throws -> any StateStore {
        switch kind {
        case "memory": return MemoryStateStore()
        case "sqlite": return try SQLiteStateStore(path: home + "/updraft.db")
        default:
            var url = try PostgresURL(ProcessInfo.processInfo.environment["UPDRAFT_TEST_POSTGRES_URL"] ?? "")
            let name = "updraft_remote_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await PostgresStateStore.createDatabase(name, adminURL: url)
            url.database = name
            return try await PostgresStateStore.connect(url: url, maximumConnections: 6)
        }
    }

    @Test(arguments: stores)
    func remoteTriesRunOnTheWorkerWithXComBothWaysAndTheirLogsShipped(_ kind: String) async throws {
        let home = Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let store = try await Self.store(kind, home: home)
        let dag = DAG("remote_etl") { d in
            let extract = d.task("extract", options: Self.remote) { ctx in
                ctx.log.info("extracting on the worker")
                return 21
            }
            let double = d.task("double") { ctx in (try ctx.xcom(Int.self, from: "extract") ?? 0) * 2 }
            let load = d.task("load", options: Self.remote) { ctx in
                let value = try ctx.xcom(Int.self, from: "double") ?? 0
                ctx.log.info("loading \(value)")
                return value + 1
            }
            extract >> double
            double >> load
        }
        let owner = try await Self.engine([dag], store: store, home: home)
        let worker = Self.startWorker(try await Self.engine([dag], store: store, home: home + "/worker"))
        defer { worker.cancel() }
        let run = try await owner.trigger(dagId: "remote_etl")
        let state = try await owner.execute(run.key, executor: Self.routing(owner))
        #expect(state == .success)
        #expect(try await store.xcom(run: run.key, taskId: "load", key: "return_value") == Array("43".utf8))

        let rows = try await store.queuedTries(state: nil)
        #expect(Set(rows.map(\.entry.key.taskId)) == ["extract", "load"])  // `double` ran on the owner
        #expect(rows.allSatisfy { $0.state == .done && $0.worker == WorkerService.currentId && $0.entry.queue == "remote" })
        let key = TryKey(dagId: "remote_etl", runId: run.runId, taskId: "load", tryNumber: 1)
        let shipped = String(decoding: try await store.logChunks(key, from: 0), as: UTF8.self)
        #expect(shipped.contains("loading 42"))
        let workers = try await store.workers()
        #expect(workers.contains { $0.kind == "worker" && $0.queues == ["remote"] && $0.slots == 4 })
    }

    @Test func aClaimWhoseHeartbeatStoppedIsInterruptedAndRunAgainWithoutARetryAndItsLateResultIsRefused() async throws {
        let home = Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let store = MemoryStateStore()
        let clock = ManualClock(now: .utc(2024, 3, 1))
        let dag = DAG("lonely") { d in d.task("work", options: Self.remote) { _ in 7 } }
        let owner = try await Self.engine([dag], store: store, clock: clock, home: home, leaseTimeout: 30)
        let run = try await owner.trigger(dagId: "lonely")
        let execution = Task { try await owner.execute(run.key, executor: Self.routing(owner)) }
        // A worker that claims the first try and then falls silent.
        var ghost: TryClaim?
        #expect(
            try await Self.eventually {
                ghost = try await store.claimTries(worker: "ghost", queues: ["remote"], limit: 1, now: clock.now, timeout: 30).first?.1
                return ghost != nil
            })
        clock.advance(by: 31)
        #expect(try await Self.eventually { try await store.queuedTry(ghost!.key)?.state == .interrupted })
        let worker = Self.startWorker(try await Self.engine([dag], store: store, clock: clock, home: home + "/worker", leaseTimeout: 30))
        defer { worker.cancel() }
        #expect(try await execution.value == .success)

        await #expect(throws: StoreError.claimLost(ghost!.key, worker: "ghost")) {
            try await store.completeTry(ghost!, result: [1], now: clock.now)
        }
        let tries = try await store.tries(run: run.key, taskId: "work")
        #expect(tries.map(\.state) == [.interrupted, .success])
        let instance = try #require(try await store.taskInstance(run: run.key, taskId: "work"))
        #expect(instance.tryNumber == 2 && instance.failedTries == 0)
        #expect(try await store.queuedTry(ghost!.key)?.reason?.contains("ghost stopped heartbeating") == true)
    }

    @Test func aWorkerWithOtherDAGCodeRefusesTheTryAndSaysWhy() async throws {
        let home = Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let store = MemoryStateStore()
        let planned = DAG("versioned") { d in d.task("step", options: Self.remote) { _ in } }
        let deployed = DAG("versioned") { d in
            let step = d.task("step", options: Self.remote) { _ in }
            step >> d.task("added_later") { _ in }
        }
        let owner = try await Self.engine([planned], store: store, home: home)
        let worker = Self.startWorker(try await Self.engine([deployed], store: store, home: home + "/worker"))
        defer { worker.cancel() }
        let run = try await owner.trigger(dagId: "versioned")
        #expect(try await owner.execute(run.key, executor: Self.routing(owner)) == .failed)
        let step = try #require(try await store.taskInstance(run: run.key, taskId: "step"))
        #expect(step.state == .failed)
        #expect(step.error?.contains("deploy the same DAGs to every host") == true)
        #expect(step.error?.contains(planned.structureHash) == true)
    }

    @Test func aNewOwnerWaitsForTheTryItsDeadPredecessorLeftOnAWorkerInsteadOfRunningItAgain() async throws {
        let home = Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let store = MemoryStateStore()
        let bodies = Locked(0)
        let gate = Locked(false)
        let dag = DAG("adopted") { d in
            d.task("slow", options: Self.remote) { _ in
                bodies.withLock { $0 += 1 }
                while !gate.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
                return "done"
            }
        }
        let first = try await Self.engine([dag], store: store, home: home)
        let run = try await first.trigger(dagId: "adopted")
        // The first owner started try 1 and queued it, then died (its lease names a process that is gone).
        let dead = ProcessIdentity(pid: 999_999, startTime: 1, host: ProcessIdentity.hostName)
        _ = try await store.acquireLease(run: run.key, owner: dead, now: Date(), timeout: 600) { _ in false }
        var instance = try #require(try await store.taskInstance(run: run.key, taskId: "slow"))
        instance.state = .running
        instance.tryNumber = 1
        instance.startDate = Date()
        var started = run
        started.state = .running
        var batch = StateBatch()
        batch.runs = [started]
        batch.instances = [instance]
        try await store.commit(batch)
        let request = TaskRequest(
            dagId: "adopted", runId: run.runId, taskId: "slow", tryNumber: 1, logicalDate: run.logicalDate,
            dataInterval: run.dataInterval, params: [:], logPath: home + "/slow.log", queue: "remote", dagHash: dag.structureHash)
        let key = TryKey(dagId: "adopted", runId: run.runId, taskId: "slow", tryNumber: 1)
        try await store.enqueueTry(
            QueuedTry(
                key: key, queue: "remote", payload: Array(try PayloadCoding.encoder.encode(RemoteJob(request: request))),
                dagHash: dag.structureHash, enqueuedAt: Date()))
        let worker = Self.startWorker(try await Self.engine([dag], store: store, home: home + "/worker"))
        defer { worker.cancel() }
        #expect(try await Self.eventually { bodies.withLock { $0 } == 1 })

        let second = try await Self.engine([dag], store: store, home: home)
        let execution = Task { try await second.execute(run.key, executor: Self.routing(second)) }
        try await Task.sleep(for: .milliseconds(50))
        gate.withLock { $0 = true }
        #expect(try await execution.value == .success)
        #expect(bodies.withLock { $0 } == 1)
        let tries = try await store.tries(run: run.key, taskId: "slow")
        #expect(tries.map(\.state) == [.success] && tries.map(\.tryNumber) == [1])
        #expect(try await store.xcom(run: run.key, taskId: "slow", key: "return_value") == Array("\"done\"".utf8))
    }
}
