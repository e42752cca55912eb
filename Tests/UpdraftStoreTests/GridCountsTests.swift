import Foundation
import Testing
import UpdraftCore

@testable import UpdraftStore

/// The grid's roll-ups (``StateStore/gridCounts(dagId:runIds:within:taskLimit:)``) and the change stamp
/// live pages poll, on both stores.
@Suite struct GridCountsTests {
    /// `extract`, a static group `g` (two tasks and a nested group `g.inner`), and a factory `fan`
    /// with three tasks, in two runs.
    static func seed(_ store: any StateStore) async throws {
        for (runId, failed) in [("r1", false), ("r2", true)] {
            var instances = [
                TaskInstance(runId: runId, dagId: "etl", taskId: "extract", state: .success),
                TaskInstance(runId: runId, dagId: "etl", taskId: "g.a", group: "g", state: .success),
                TaskInstance(runId: runId, dagId: "etl", taskId: "g.b", group: "g", state: failed ? .failed : .success),
                TaskInstance(runId: runId, dagId: "etl", taskId: "g.inner.c", group: "g.inner", state: .running),
                TaskInstance(runId: runId, dagId: "etl", taskId: "fan", state: .success, kind: "factory"),
            ]
            for index in 0..<3 {
                instances.append(TaskInstance(runId: runId, dagId: "etl", taskId: "fan.t\(index)", group: "fan", state: .queued))
            }
            try await store.createRun(StateStoreTests.run(runId), instances: instances)
        }
        // Another DAG with the same run id and group name: never counted with `etl`.
        try await store.createRun(
            StateStoreTests.run("r1", dag: "other"),
            instances: [
                TaskInstance(runId: "r1", dagId: "other", taskId: "g.x", group: "g", state: .failed),
                TaskInstance(runId: "r1", dagId: "other", taskId: "stranger", state: .failed),
            ])
    }

    static func table(_ grid: GridCounts) -> [String: Int] {
        var table: [String: Int] = [:]
        for count in grid.counts {
            table["\(count.runId) \(count.rowId)\(count.isGroup ? "/" : "") \(count.state.rawValue)", default: 0] += count.count
        }
        return table
    }

    @Test(arguments: StoreKind.allCases)
    func theTopLevelRollsGroupsUpAndListsTasks(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await Self.seed(store)
        let grid = try await store.gridCounts(dagId: "etl", runIds: ["r1", "r2"], within: nil, taskLimit: 100)
        let table = Self.table(grid)
        #expect(table["r2 g/ failed"] == 1)
        #expect(table["r2 g/ success"] == 1)
        #expect(table["r2 g/ running"] == 1)
        #expect(table["r1 g/ success"] == 2)
        #expect(table["r1 fan/ queued"] == 3)
        #expect(table["r1 fan success"] == 1)
        #expect(table["r1 extract success"] == 1)
        #expect(table.keys.allSatisfy { !$0.contains("g.inner") && !$0.contains("fan.t") && !$0.contains("stranger") })
        #expect(table["r1 g/ failed"] == nil)
        #expect(!grid.moreTasks)
        // Runs not asked for are left out.
        #expect(
            try await store.gridCounts(dagId: "etl", runIds: ["r1"], within: nil, taskLimit: 100).counts.allSatisfy { $0.runId == "r1" })
    }

    @Test(arguments: StoreKind.allCases)
    func aGroupShowsItsTasksAndItsChildGroups(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await Self.seed(store)
        let table = Self.table(try await store.gridCounts(dagId: "etl", runIds: ["r2"], within: "g", taskLimit: 100))
        #expect(table == ["r2 g.a success": 1, "r2 g.b failed": 1, "r2 g.inner/ running": 1])
        let inner = Self.table(try await store.gridCounts(dagId: "etl", runIds: ["r2"], within: "g.inner", taskLimit: 100))
        #expect(inner == ["r2 g.inner.c running": 1])
    }

    @Test(arguments: StoreKind.allCases)
    func aLargeGroupShowsTheFirstTasksByIdAndSaysThereAreMore(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await Self.seed(store)
        let grid = try await store.gridCounts(dagId: "etl", runIds: ["r1", "r2"], within: "fan", taskLimit: 2)
        #expect(grid.moreTasks)
        #expect(Set(grid.counts.map(\.rowId)) == ["fan.t0", "fan.t1"])
        #expect(grid.counts.count == 4)
        #expect(try await store.gridCounts(dagId: "etl", runIds: ["r1", "r2"], within: "fan", taskLimit: 3).moreTasks == false)
    }

    @Test(arguments: StoreKind.allCases)
    func theChangeStampMovesWithEveryChangeAndOnlyThen(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await Self.seed(store)
        var before = try await store.changeStamp()
        var steady = try await store.changeStamp() == before
        // PostgreSQL's stamp is the cluster's WAL position, which the other tests' databases move
        // too: two readings agree once nothing wrote in between.
        var attempts = 0
        while kind == .postgres, !steady, attempts < 500 {
            before = try await store.changeStamp()
            steady = try await store.changeStamp() == before
            attempts += 1
        }
        #expect(steady)
        var instance = try #require(try await store.taskInstance(run: StateStoreTests.key("r1"), taskId: "fan.t0"))
        instance.state = .running
        var batch = StateBatch()
        batch.instances = [instance]
        try await store.commit(batch)
        #expect(try await store.changeStamp() != before)
    }

    /// Another process's commit (here: another connection to the file) moves the stamp too.
    @Test func anotherWritersCommitMovesTheSQLiteStamp() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-stamp-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("updraft.db").path
        let reader = try SQLiteStateStore(path: path)
        let before = try await reader.changeStamp()
        let writer = try SQLiteStateStore(path: path)
        try await writer.createRun(StateStoreTests.run("r1"), instances: [])
        #expect(try await reader.changeStamp() != before)
    }

    /// Tasks of nested groups in three runs, their states changed by commits (in-place upserts
    /// on SQLite): every scope's counts equal the in-memory store's. Local ids that sort before
    /// and after `inner` (`-` and `_` either side of `.`) put a group's rows on both sides of its
    /// nested group's in id order, so the scan meets one group twice in a run.
    @Test(arguments: [StoreKind.sqlite] + (StoreKind.allCases.contains(.postgres) ? [.postgres] : []))
    func countsAfterStateChangesAgreeWithTheMemoryStore(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let reference = MemoryStateStore()
        let groups = ["g", "g.inner", "g.inner.deep", "h", "fan"]
        let locals = ["a", "inner-", "inner_", "z"]
        let states: [TaskState] = [.none, .scheduled, .queued, .running, .success, .failed, .upForRetry, .skipped]
        var generator = SplitMix(seed: 7)
        var instances: [TaskInstance] = []
        for runId in ["r1", "r2", "r3"] {
            var run: [TaskInstance] = [TaskInstance(runId: runId, dagId: "etl", taskId: "top", state: .success)]
            for index in 0..<300 {
                let group = groups[Int(generator.next() % UInt64(groups.count))]
                let taskId = "\(group).\(locals[index % locals.count])\(index)"
                run.append(TaskInstance(runId: runId, dagId: "etl", taskId: taskId, group: group, state: .none))
            }
            for target in [store, reference] as [any StateStore] { try await target.createRun(StateStoreTests.run(runId), instances: run) }
            instances += run
        }
        for _ in 0..<3 {
            var batch = StateBatch()
            for var instance in instances where generator.next() % 3 == 0 {
                instance.state = states[Int(generator.next() % UInt64(states.count))]
                instance.tryNumber += 1
                batch.instances.append(instance)
            }
            for target in [store, reference] as [any StateStore] { try await target.commit(batch) }
        }
        for scope in [nil, "g", "g.inner", "h", "fan", "absent"] as [String?] {
            let runs = ["r1", "r3", "r1"]  // a run asked for twice is counted once
            let got = try await store.gridCounts(dagId: "etl", runIds: runs, within: scope, taskLimit: 1000)
            let want = try await reference.gridCounts(dagId: "etl", runIds: runs, within: scope, taskLimit: 1000)
            #expect(Self.table(got) == Self.table(want), "scope \(scope ?? "top")")
            #expect(!Self.table(got).isEmpty || scope == "absent")
        }
        // A state this version does not know (a row edited by hand) counts as `none`.
        if let sqlite = store as? SQLiteStateStore {
            let edited = try #require(
                try await reference.taskInstances(run: StateStoreTests.key("r1")).first { $0.group == "g" && $0.state != .none })
            try sqlite.write { db in
                try db.execute(
                    sql: "UPDATE task_instance SET state = 'bogus' WHERE run_id = 'r1' AND task_id = ?", arguments: [edited.taskId])
            }
            var expected = Self.table(try await reference.gridCounts(dagId: "etl", runIds: ["r1"], within: nil, taskLimit: 10))
            expected["r1 g/ \(edited.state.rawValue)", default: 0] -= 1
            if expected["r1 g/ \(edited.state.rawValue)"] == 0 { expected["r1 g/ \(edited.state.rawValue)"] = nil }
            expected["r1 g/ none", default: 0] += 1
            #expect(Self.table(try await store.gridCounts(dagId: "etl", runIds: ["r1"], within: nil, taskLimit: 10)) == expected)
        }
    }

    /// The rule of migration `2026-12-11-task-instance-in-place-updates`: no index of
    /// `task_instance` holds a column a state change writes, so the upsert rewrites the row alone.
    @Test func noIndexOfTaskInstancesHoldsTheState() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-index-\(UUID().uuidString)")
        let store = try SQLiteStateStore(path: folder.appendingPathComponent("updraft.db").path)
        let columns = try store.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT i.name FROM pragma_index_list('task_instance') l, pragma_index_info(l.name) i
                    WHERE l.origin = 'c'
                    """)
        }
        #expect(columns == ["dag_id", "run_id", "group_id"])
    }

    @Test func rowKeysFollowTheGroupPath() {
        #expect(GridCount.row(taskId: "t", taskGroup: nil, within: nil)! == ("t", false))
        #expect(GridCount.row(taskId: "g.h.t", taskGroup: "g.h", within: nil)! == ("g", true))
        #expect(GridCount.row(taskId: "g.h.t", taskGroup: "g.h", within: "g")! == ("g.h", true))
        #expect(GridCount.row(taskId: "g.h.t", taskGroup: "g.h", within: "g.h")! == ("g.h.t", false))
        #expect(GridCount.row(taskId: "gx.t", taskGroup: "gx", within: "g") == nil)
        #expect(GridCount.row(taskId: "t", taskGroup: nil, within: "g") == nil)
    }
}

/// A small deterministic generator (SplitMix64), so a failing case is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
