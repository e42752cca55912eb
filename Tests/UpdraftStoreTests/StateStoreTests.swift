import Foundation
import Testing
import UpdraftCore
@testable import UpdraftStore

/// The same suite on both stores.
enum StoreKind: String, CaseIterable, CustomStringConvertible {
    case sqlite, memory
    var description: String { rawValue }

    func make() throws -> any StateStore {
        switch self {
        case .memory: return MemoryStateStore()
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-store-\(UUID().uuidString)")
            return try SQLiteStateStore(path: folder.appendingPathComponent("updraft.db").path)
        }
    }
}

@Suite struct StateStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_704_067_200)

    static func run(_ id: String, dag: String = "etl", state: RunState = .queued, logical: TimeInterval = 0) -> DAGRun {
        let date = t0.addingTimeInterval(logical)
        return DAGRun(dagId: dag, runId: id, state: state, runType: .manual, logicalDate: date,
                      dataInterval: DataInterval(start: date, end: date.addingTimeInterval(86_400)), queuedAt: date,
                      conf: ["n": 3, "mode": "full"])
    }

    /// A run of DAG `etl`.
    static func key(_ id: String) -> RunKey { RunKey("etl", id) }

    @Test(arguments: StoreKind.allCases)
    func runsRoundTripAndRunIdsAreUniqueWithinADAG(_ kind: StoreKind) throws {
        let store = try kind.make()
        let instances = [TaskInstance(runId: "r1", dagId: "etl", taskId: "extract"),
                         TaskInstance(runId: "r1", dagId: "etl", taskId: "load", group: "g", maxTries: 2, pool: "api", poolSlots: 2, priority: 7)]
        try store.createRun(Self.run("r1"), instances: instances)
        #expect(try store.run(Self.key("r1")) == Self.run("r1"))
        #expect(try store.taskInstances(run: Self.key("r1")).sorted { $0.taskId < $1.taskId } == instances)
        #expect(throws: StoreError.duplicateRun(Self.key("r1"))) { try store.createRun(Self.run("r1"), instances: []) }
        #expect(try store.run(Self.key("missing")) == nil)
    }

    /// `scheduled__<ts>` repeats across DAGs: each DAG gets its own run, tasks, tries, XCom and lease.
    @Test(arguments: StoreKind.allCases)
    func twoDAGsMayUseTheSameRunId(_ kind: StoreKind) throws {
        let store = try kind.make()
        let id = "scheduled__2026-11-30T00:00:00+00:00"
        for dag in ["bench_daily", "get_symbols"] {
            try store.createRun(Self.run(id, dag: dag), instances: [TaskInstance(runId: id, dagId: dag, taskId: "t")])
        }
        #expect(try store.runs(RunQuery(runId: id)).map(\.dagId).sorted() == ["bench_daily", "get_symbols"])
        var batch = StateBatch()
        batch.instances = [TaskInstance(runId: id, dagId: "get_symbols", taskId: "t", state: .success, tryNumber: 1)]
        batch.tries = [TaskTry(dagId: "get_symbols", runId: id, taskId: "t", tryNumber: 1, state: .success,
                               startDate: Self.t0, endDate: Self.t0)]
        batch.xcoms = [XComEntry(run: RunKey("get_symbols", id), taskId: "t", key: "return_value", value: Array("1".utf8))]
        try store.commit(batch)
        #expect(try store.taskInstance(run: RunKey("bench_daily", id), taskId: "t")?.state == TaskState.none)
        #expect(try store.taskInstance(run: RunKey("get_symbols", id), taskId: "t")?.state == .success)
        #expect(try store.tries(run: RunKey("bench_daily", id), taskId: "t").isEmpty)
        #expect(try store.xcom(run: RunKey("bench_daily", id), taskId: "t", key: "return_value") == nil)
        let owner = ProcessIdentity(pid: 10, startTime: 1, host: "h")
        let other = ProcessIdentity(pid: 11, startTime: 1, host: "h")
        #expect(try store.acquireLease(run: RunKey("bench_daily", id), owner: owner, now: Self.t0, isAlive: { _ in true })
                == .acquired(previousOwner: nil))
        #expect(try store.acquireLease(run: RunKey("get_symbols", id), owner: other, now: Self.t0, isAlive: { _ in true })
                == .acquired(previousOwner: nil))
    }

    /// The DAG row keeps its last scheduled interval; deleting runs does not move it back.
    @Test(arguments: StoreKind.allCases)
    func lastScheduledIntervalOnlyMovesForwardAndOutlivesItsRuns(_ kind: StoreKind) throws {
        let store = try kind.make()
        try store.syncDAGs([DAGEntry(dagId: "etl", isPaused: false)])
        let day = DataInterval(start: Self.t0, end: Self.t0.addingTimeInterval(86_400))
        let earlier = DataInterval(start: Self.t0.addingTimeInterval(-86_400), end: Self.t0)
        try store.setLastScheduledInterval("etl", day)
        try store.setLastScheduledInterval("etl", earlier)
        var run = Self.run("scheduled", state: .success)
        run.endDate = Self.t0
        try store.createRun(run, instances: [])
        _ = try store.deleteRuns(endedBefore: Self.t0.addingTimeInterval(86_400 * 365))
        #expect(try store.runs(RunQuery()).isEmpty)
        #expect(try store.dagEntries().first?.lastScheduledInterval == day)
    }

    @Test(arguments: StoreKind.allCases)
    func queriesFilterAndOrderNewestFirst(_ kind: StoreKind) throws {
        let store = try kind.make()
        try store.createRun(Self.run("a", logical: 0), instances: [])
        try store.createRun(Self.run("b", state: .success, logical: 100), instances: [])
        try store.createRun(Self.run("c", dag: "other", logical: 50), instances: [])
        #expect(try store.runs(RunQuery()).map(\.runId) == ["b", "c", "a"])
        #expect(try store.runs(RunQuery(dagId: "etl")).map(\.runId) == ["b", "a"])
        #expect(try store.runs(RunQuery(states: [.queued])).map(\.runId) == ["c", "a"])
        #expect(try store.runs(RunQuery(limit: 1)).map(\.runId) == ["b"])
    }

    @Test(arguments: StoreKind.allCases)
    func commitAppliesEverythingTogether(_ kind: StoreKind) throws {
        let store = try kind.make()
        try store.createRun(Self.run("r1"), instances: [TaskInstance(runId: "r1", dagId: "etl", taskId: "t")])
        var batch = StateBatch()
        var running = Self.run("r1", state: .running)
        running.startDate = Self.t0
        batch.runs = [running]
        var instance = TaskInstance(runId: "r1", dagId: "etl", taskId: "t", state: .running, tryNumber: 1, startDate: Self.t0)
        batch.instances.append(instance)
        instance.state = .success
        instance.endDate = Self.t0.addingTimeInterval(2)
        batch.instances.append(instance)
        batch.tries = [TaskTry(dagId: "etl", runId: "r1", taskId: "t", tryNumber: 1, state: .success, startDate: Self.t0,
                               endDate: Self.t0.addingTimeInterval(2))]
        batch.xcoms = [XComEntry(run: Self.key("r1"), taskId: "t", key: "return_value", value: Array("[1,2]".utf8))]
        batch.factoryInputs = [FactoryInput(run: Self.key("r1"), factoryId: "fan", input: Array("{}".utf8))]
        try store.commit(batch)
        #expect(try store.run(Self.key("r1"))?.state == .running)
        #expect(try store.taskInstance(run: Self.key("r1"), taskId: "t") == instance)
        #expect(try store.taskInstance(run: Self.key("r1"), taskId: "t")?.duration == 2)
        #expect(try store.tries(run: Self.key("r1"), taskId: "t").map(\.state) == [.success])
        #expect(try store.xcom(run: Self.key("r1"), taskId: "t", key: "return_value") == Array("[1,2]".utf8))
        #expect(try store.factoryInputs(run: Self.key("r1")) == ["fan": Array("{}".utf8)])
        var clear = StateBatch()
        clear.clearedXComs = [TaskKey(Self.key("r1"), "t")]
        try store.commit(clear)
        #expect(try store.xcom(run: Self.key("r1"), taskId: "t", key: "return_value") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func dagsKeepTheirPausedFlag(_ kind: StoreKind) throws {
        let store = try kind.make()
        try store.syncDAGs([DAGEntry(dagId: "a", isPaused: false), DAGEntry(dagId: "b", isPaused: true)])
        #expect(try store.setPaused("a", true))
        try store.syncDAGs([DAGEntry(dagId: "a", isPaused: false)])
        #expect(try store.dagEntries() == [DAGEntry(dagId: "a", isPaused: true), DAGEntry(dagId: "b", isPaused: true)])
        #expect(try !store.setPaused("nope", true))
    }

    @Test(arguments: StoreKind.allCases)
    func poolsStartWithTheDefaultPool(_ kind: StoreKind) throws {
        let store = try kind.make()
        #expect(try store.pools() == [PoolRecord.defaultPool])
        try store.setPool(PoolRecord(name: "binance", slots: 4, description: "API weight"))
        try store.setPool(PoolRecord(name: "binance", slots: 6))
        #expect(try store.pools().first { $0.name == "binance" } == PoolRecord(name: "binance", slots: 6, description: "API weight"))
    }

    @Test(arguments: StoreKind.allCases)
    func leasesHaveOneLiveOwner(_ kind: StoreKind) throws {
        let store = try kind.make()
        let first = ProcessIdentity(pid: 10, startTime: 1, host: "h")
        let second = ProcessIdentity(pid: 11, startTime: 1, host: "h")
        let r = Self.key("r")
        #expect(try store.acquireLease(run: r, owner: first, now: Self.t0, isAlive: { _ in true }) == .acquired(previousOwner: nil))
        #expect(try store.acquireLease(run: r, owner: second, now: Self.t0, isAlive: { _ in true }) == .heldBy(first))
        #expect(try store.acquireLease(run: r, owner: second, now: Self.t0, isAlive: { _ in false }) == .acquired(previousOwner: first))
        try store.releaseLease(run: r, owner: first)   // not the owner any more: no effect
        #expect(try store.leases().map(\.owner) == [second])
        try store.releaseLease(run: r, owner: second)
        #expect(try store.leases().isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func schedulersRegister(_ kind: StoreKind) throws {
        let store = try kind.make()
        let me = ProcessIdentity(pid: 42, startTime: 9, host: "h")
        try store.registerScheduler(me, now: Self.t0)
        #expect(try store.schedulers() == [me])
        try store.unregisterScheduler(me)
        #expect(try store.schedulers().isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func cleaningDeletesOnlyOldFinishedRuns(_ kind: StoreKind) throws {
        let store = try kind.make()
        var old = Self.run("old", state: .success)
        old.endDate = Self.t0
        var fresh = Self.run("fresh", state: .success)
        fresh.endDate = Self.t0.addingTimeInterval(10 * 86_400)
        try store.createRun(old, instances: [TaskInstance(runId: "old", dagId: "etl", taskId: "t")])
        try store.createRun(fresh, instances: [])
        try store.createRun(Self.run("active", state: .running), instances: [])
        let deleted = try store.deleteRuns(endedBefore: Self.t0.addingTimeInterval(86_400))
        #expect(deleted.map(\.runId) == ["old"])
        #expect(try store.runs(RunQuery()).map(\.runId).sorted() == ["active", "fresh"])
        #expect(try store.taskInstances(run: Self.key("old")).isEmpty)
    }
}

@Suite struct SQLiteStateStoreTests {
    @Test func usesWALAndSurvivesReopening() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-\(UUID().uuidString).db").path
        do {
            let store = try SQLiteStateStore(path: path)
            try store.createRun(StateStoreTests.run("r1"), instances: [])
        }
        let reopened = try SQLiteStateStore(path: path)
        #expect(try reopened.run(StateStoreTests.key("r1"))?.conf == ["n": 3, "mode": "full"])
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
                        try store.createRun(StateStoreTests.run("\(name)\(index)"), instances: [])
                        _ = try store.runs(RunQuery(limit: 5))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try a.runs(RunQuery()).count == 400)
    }
}

@Suite struct DurabilitySettingTests {
    @Test(arguments: [(false, 1), (true, 2)])
    func synchronousFollowsTheSetting(full: Bool, expected: Int) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-\(UUID().uuidString).db").path
        let store = try SQLiteStateStore(path: path, durableAcrossPowerLoss: full)
        #expect(try store.pragma("synchronous") == expected)
    }
}
