import Foundation
import Testing
import UpdraftCore

@testable import UpdraftStore

/// The same suite on every store: PostgreSQL only when `UPDRAFT_TEST_POSTGRES_URL` names a server
/// (`Tests/postgres/with-cluster` starts one), so a developer without PostgreSQL runs the rest.
enum StoreKind: String, CaseIterable, CustomStringConvertible {
    case sqlite, memory, postgres
    var description: String { rawValue }

    static var allCases: [StoreKind] { PostgresTestDatabase.adminURL == nil ? [.sqlite, .memory] : [.sqlite, .memory, .postgres] }

    /// A fresh, empty store (for PostgreSQL: a database of its own, so tests run in parallel).
    func make() async throws -> any StateStore {
        switch self {
        case .memory: return MemoryStateStore()
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-store-\(UUID().uuidString)")
            return try SQLiteStateStore(path: folder.appendingPathComponent("updraft.db").path)
        case .postgres: return try await PostgresTestDatabase.makeStore()
        }
    }
}

@Suite struct StateStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_704_067_200)

    static func run(_ id: String, dag: String = "etl", state: RunState = .queued, logical: TimeInterval = 0) -> DAGRun {
        let date = t0.addingTimeInterval(logical)
        return DAGRun(
            dagId: dag, runId: id, state: state, runType: .manual, logicalDate: date,
            dataInterval: DataInterval(start: date, end: date.addingTimeInterval(86_400)), queuedAt: date,
            conf: ["n": 3, "mode": "full"])
    }

    /// A run of DAG `etl`.
    static func key(_ id: String) -> RunKey { RunKey("etl", id) }

    @Test(arguments: StoreKind.allCases)
    func runsRoundTripAndRunIdsAreUniqueWithinADAG(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let instances = [
            TaskInstance(runId: "r1", dagId: "etl", taskId: "extract"),
            TaskInstance(runId: "r1", dagId: "etl", taskId: "load", group: "g", maxTries: 2, pool: "api", poolSlots: 2, priority: 7),
        ]
        try await store.createRun(Self.run("r1"), instances: instances)
        #expect(try await store.run(Self.key("r1")) == Self.run("r1"))
        #expect(try await store.taskInstances(run: Self.key("r1")).sorted { $0.taskId < $1.taskId } == instances)
        await #expect(throws: StoreError.duplicateRun(Self.key("r1"))) { try await store.createRun(Self.run("r1"), instances: []) }
        #expect(try await store.run(Self.key("missing")) == nil)
    }

    /// `scheduled__<ts>` repeats across DAGs: each DAG gets its own run, tasks, tries, XCom and lease.
    @Test(arguments: StoreKind.allCases)
    func twoDAGsMayUseTheSameRunId(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let id = "scheduled__2026-11-30T00:00:00+00:00"
        for dag in ["bench_daily", "get_symbols"] {
            try await store.createRun(Self.run(id, dag: dag), instances: [TaskInstance(runId: id, dagId: dag, taskId: "t")])
        }
        #expect(try await store.runs(RunQuery(runId: id)).map(\.dagId).sorted() == ["bench_daily", "get_symbols"])
        var batch = StateBatch()
        batch.instances = [TaskInstance(runId: id, dagId: "get_symbols", taskId: "t", state: .success, tryNumber: 1)]
        batch.tries = [
            TaskTry(
                dagId: "get_symbols", runId: id, taskId: "t", tryNumber: 1, state: .success,
                startDate: Self.t0, endDate: Self.t0)
        ]
        batch.xcoms = [XComEntry(run: RunKey("get_symbols", id), taskId: "t", key: "return_value", value: Array("1".utf8))]
        try await store.commit(batch)
        #expect(try await store.taskInstance(run: RunKey("bench_daily", id), taskId: "t")?.state == TaskState.none)
        #expect(try await store.taskInstance(run: RunKey("get_symbols", id), taskId: "t")?.state == .success)
        #expect(try await store.tries(run: RunKey("bench_daily", id), taskId: "t").isEmpty)
        #expect(try await store.xcom(run: RunKey("bench_daily", id), taskId: "t", key: "return_value") == nil)
        let owner = ProcessIdentity(pid: 10, startTime: 1, host: "h")
        let other = ProcessIdentity(pid: 11, startTime: 1, host: "h")
        #expect(
            try await store.acquireLease(
                run: RunKey("bench_daily", id), owner: owner, now: Self.t0, timeout: 30,
                isAlive: { _ in true })
                == .acquired(LeaseToken(run: RunKey("bench_daily", id), owner: owner, fencingToken: 1), previousOwner: nil))
        #expect(
            try await store.acquireLease(
                run: RunKey("get_symbols", id), owner: other, now: Self.t0, timeout: 30,
                isAlive: { _ in true })
                == .acquired(LeaseToken(run: RunKey("get_symbols", id), owner: other, fencingToken: 1), previousOwner: nil))
    }

    /// The DAG row keeps its last scheduled interval; deleting runs does not move it back.
    @Test(arguments: StoreKind.allCases)
    func lastScheduledIntervalOnlyMovesForwardAndOutlivesItsRuns(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await store.syncDAGs([DAGEntry(dagId: "etl", isPaused: false)])
        let day = DataInterval(start: Self.t0, end: Self.t0.addingTimeInterval(86_400))
        let earlier = DataInterval(start: Self.t0.addingTimeInterval(-86_400), end: Self.t0)
        try await store.setLastScheduledInterval("etl", day)
        try await store.setLastScheduledInterval("etl", earlier)
        var run = Self.run("scheduled", state: .success)
        run.endDate = Self.t0
        try await store.createRun(run, instances: [])
        _ = try await store.deleteRuns(endedBefore: Self.t0.addingTimeInterval(86_400 * 365))
        #expect(try await store.runs(RunQuery()).isEmpty)
        #expect(try await store.dagEntries().first?.lastScheduledInterval == day)
    }

    @Test(arguments: StoreKind.allCases)
    func queriesFilterAndOrderNewestFirst(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await store.createRun(Self.run("a", logical: 0), instances: [])
        try await store.createRun(Self.run("b", state: .success, logical: 100), instances: [])
        try await store.createRun(Self.run("c", dag: "other", logical: 50), instances: [])
        #expect(try await store.runs(RunQuery()).map(\.runId) == ["b", "c", "a"])
        #expect(try await store.runs(RunQuery(dagId: "etl")).map(\.runId) == ["b", "a"])
        #expect(try await store.runs(RunQuery(states: [.queued])).map(\.runId) == ["c", "a"])
        #expect(try await store.runs(RunQuery(limit: 1)).map(\.runId) == ["b"])
    }

    @Test(arguments: StoreKind.allCases)
    func commitAppliesEverythingTogether(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await store.createRun(Self.run("r1"), instances: [TaskInstance(runId: "r1", dagId: "etl", taskId: "t")])
        var batch = StateBatch()
        var running = Self.run("r1", state: .running)
        running.startDate = Self.t0
        batch.runs = [running]
        var instance = TaskInstance(runId: "r1", dagId: "etl", taskId: "t", state: .running, tryNumber: 1, startDate: Self.t0)
        batch.instances.append(instance)
        instance.state = .success
        instance.endDate = Self.t0.addingTimeInterval(2)
        batch.instances.append(instance)
        batch.tries = [
            TaskTry(
                dagId: "etl", runId: "r1", taskId: "t", tryNumber: 1, state: .success, startDate: Self.t0,
                endDate: Self.t0.addingTimeInterval(2))
        ]
        batch.xcoms = [XComEntry(run: Self.key("r1"), taskId: "t", key: "return_value", value: Array("[1,2]".utf8))]
        batch.factoryInputs = [FactoryInput(run: Self.key("r1"), factoryId: "fan", input: Array("{}".utf8))]
        try await store.commit(batch)
        #expect(try await store.run(Self.key("r1"))?.state == .running)
        #expect(try await store.taskInstance(run: Self.key("r1"), taskId: "t") == instance)
        #expect(try await store.taskInstance(run: Self.key("r1"), taskId: "t")?.duration == 2)
        #expect(try await store.tries(run: Self.key("r1"), taskId: "t").map(\.state) == [.success])
        #expect(try await store.xcom(run: Self.key("r1"), taskId: "t", key: "return_value") == Array("[1,2]".utf8))
        #expect(try await store.factoryInputs(run: Self.key("r1")) == ["fan": Array("{}".utf8)])
        var clear = StateBatch()
        clear.clearedXComs = [TaskKey(Self.key("r1"), "t")]
        try await store.commit(clear)
        #expect(try await store.xcom(run: Self.key("r1"), taskId: "t", key: "return_value") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func dagsKeepTheirPausedFlag(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await store.syncDAGs([DAGEntry(dagId: "a", isPaused: false), DAGEntry(dagId: "b", isPaused: true)])
        #expect(try await store.setPaused("a", true))
        try await store.syncDAGs([DAGEntry(dagId: "a", isPaused: false)])
        #expect(try await store.dagEntries() == [DAGEntry(dagId: "a", isPaused: true), DAGEntry(dagId: "b", isPaused: true)])
        #expect(try await !store.setPaused("nope", true))
    }

    @Test(arguments: StoreKind.allCases)
    func poolsStartWithTheDefaultPool(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        #expect(try await store.pools() == [PoolRecord.defaultPool])
        try await store.setPool(PoolRecord(name: "binance", slots: 4, description: "API weight"))
        try await store.setPool(PoolRecord(name: "binance", slots: 6))
        #expect(try await store.pools().first { $0.name == "binance" } == PoolRecord(name: "binance", slots: 6, description: "API weight"))
    }

    @Test(arguments: StoreKind.allCases)
    func leasesHaveOneLiveOwner(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let first = ProcessIdentity(pid: 10, startTime: 1, host: "h")
        let second = ProcessIdentity(pid: 11, startTime: 1, host: "h")
        let r = Self.key("r")
        let firstToken = LeaseToken(run: r, owner: first, fencingToken: 1)
        let secondToken = LeaseToken(run: r, owner: second, fencingToken: 2)
        #expect(
            try await store.acquireLease(run: r, owner: first, now: Self.t0, timeout: 30, isAlive: { _ in true })
                == .acquired(firstToken, previousOwner: nil))
        #expect(
            try await store.acquireLease(run: r, owner: second, now: Self.t0, timeout: 30, isAlive: { _ in true })
                == .heldBy(first))
        #expect(
            try await store.acquireLease(run: r, owner: second, now: Self.t0, timeout: 30, isAlive: { _ in false })
                == .acquired(secondToken, previousOwner: first))
        // The stale owner can neither release, renew nor write any more.
        await #expect(throws: StoreError.leaseLost(r, first)) { try await store.releaseLease(firstToken) }
        await #expect(throws: StoreError.leaseLost(r, first)) {
            try await store.renewLease(firstToken, now: Self.t0, timeout: 30)
        }
        #expect(try await store.leases().map(\.owner) == [second])
        try await store.releaseLease(secondToken)
        #expect(try await store.leases().isEmpty)
    }

    /// A live owner whose heartbeat expired loses the run; renewing keeps it; tokens only grow.
    @Test(arguments: StoreKind.allCases)
    func anExpiredHeartbeatLetsAnotherProcessTakeTheRunOver(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let first = ProcessIdentity(pid: 10, startTime: 1, host: "h")
        let second = ProcessIdentity(pid: 11, startTime: 1, host: "other-host")
        let r = Self.key("r")
        guard
            let token = try await store.acquireLease(
                run: r, owner: first, now: Self.t0, timeout: 30,
                isAlive: { _ in true }
            ).token
        else { Issue.record("not acquired"); return }
        try await store.renewLease(token, now: Self.t0.addingTimeInterval(20), timeout: 30)
        #expect(
            try await store.acquireLease(
                run: r, owner: second, now: Self.t0.addingTimeInterval(45), timeout: 30,
                isAlive: { _ in true }) == .heldBy(first))
        #expect(try await store.leases().first?.heartbeatAt == Self.t0.addingTimeInterval(20))
        let taken = try await store.acquireLease(
            run: r, owner: second, now: Self.t0.addingTimeInterval(51), timeout: 30,
            isAlive: { _ in true })
        #expect(taken == .acquired(LeaseToken(run: r, owner: second, fencingToken: 2), previousOwner: first))
        try await store.releaseLease(taken.token!)
        let again = try await store.acquireLease(
            run: r, owner: first, now: Self.t0.addingTimeInterval(60), timeout: 30,
            isAlive: { _ in true })
        #expect(again.token?.fencingToken == 3)
    }

    /// A commit fenced with a token that lost the lease writes nothing.
    @Test(arguments: StoreKind.allCases)
    func aFencedCommitOfAStaleOwnerIsRefused(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await store.createRun(Self.run("r"), instances: [TaskInstance(runId: "r", dagId: "etl", taskId: "t")])
        let first = ProcessIdentity(pid: 10, startTime: 1, host: "h")
        let second = ProcessIdentity(pid: 11, startTime: 1, host: "h")
        let stale = try await store.acquireLease(
            run: Self.key("r"), owner: first, now: Self.t0, timeout: 30,
            isAlive: { _ in true }
        ).token!
        let fresh = try await store.acquireLease(
            run: Self.key("r"), owner: second, now: Self.t0, timeout: 30,
            isAlive: { _ in false }
        ).token!
        var batch = StateBatch()
        batch.instances = [TaskInstance(runId: "r", dagId: "etl", taskId: "t", state: .success, tryNumber: 1)]
        batch.fence = stale
        await #expect(throws: StoreError.leaseLost(Self.key("r"), first)) { try await store.commit(batch) }
        #expect(try await store.taskInstance(run: Self.key("r"), taskId: "t")?.state == TaskState.none)
        batch.fence = fresh
        try await store.commit(batch)
        #expect(try await store.taskInstance(run: Self.key("r"), taskId: "t")?.state == .success)
    }

    @Test(arguments: StoreKind.allCases)
    func schedulersRegister(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let me = ProcessIdentity(pid: 42, startTime: 9, host: "h")
        try await store.registerScheduler(me, now: Self.t0)
        #expect(try await store.schedulers() == [me])
        try await store.unregisterScheduler(me)
        #expect(try await store.schedulers().isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func cleaningDeletesOnlyOldFinishedRuns(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        var old = Self.run("old", state: .success)
        old.endDate = Self.t0
        var fresh = Self.run("fresh", state: .success)
        fresh.endDate = Self.t0.addingTimeInterval(10 * 86_400)
        try await store.createRun(old, instances: [TaskInstance(runId: "old", dagId: "etl", taskId: "t")])
        try await store.createRun(fresh, instances: [])
        try await store.createRun(Self.run("active", state: .running), instances: [])
        let deleted = try await store.deleteRuns(endedBefore: Self.t0.addingTimeInterval(86_400))
        #expect(deleted.map(\.runId) == ["old"])
        #expect(try await store.runs(RunQuery()).map(\.runId).sorted() == ["active", "fresh"])
        #expect(try await store.taskInstances(run: Self.key("old")).isEmpty)
    }
}

@Suite struct SQLiteStateStoreTests {
    @Test func usesWALAndSurvivesReopening() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-\(UUID().uuidString).db").path
        do {
            let store = try SQLiteStateStore(path: path)
            try await store.createRun(StateStoreTests.run("r1"), instances: [])
        }
        let reopened = try SQLiteStateStore(path: path)
        #expect(try await reopened.run(StateStoreTests.key("r1"))?.conf == ["n": 3, "mode": "full"])
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func concurrentWritersFromTwoConnectionsNeverSeeLockedErrors() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-\(UUID().uuidString).db").path
        let a = try SQLiteStateStore(path: path)
        let b = try SQLiteStateStore(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (name, store) in [("a", a), ("b", b)] {
                group.addTask {
                    for index in 0..<200 {
                        try await store.createRun(StateStoreTests.run("\(name)\(index)"), instances: [])
                        _ = try await store.runs(RunQuery(limit: 5))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await a.runs(RunQuery()).count == 400)
    }
}

@Suite struct DurabilitySettingTests {
    @Test(arguments: [(false, 1), (true, 2)])
    func synchronousFollowsTheSetting(full: Bool, expected: Int) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-\(UUID().uuidString).db").path
        let store = try SQLiteStateStore(path: path, durableAcrossPowerLoss: full)
        #expect(try store.pragma("synchronous") == expected)
    }
}
