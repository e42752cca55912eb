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

    @Test func rowKeysFollowTheGroupPath() {
        #expect(GridCount.row(taskId: "t", taskGroup: nil, within: nil)! == ("t", false))
        #expect(GridCount.row(taskId: "g.h.t", taskGroup: "g.h", within: nil)! == ("g", true))
        #expect(GridCount.row(taskId: "g.h.t", taskGroup: "g.h", within: "g")! == ("g.h", true))
        #expect(GridCount.row(taskId: "g.h.t", taskGroup: "g.h", within: "g.h")! == ("g.h.t", false))
        #expect(GridCount.row(taskId: "gx.t", taskGroup: "gx", within: "g") == nil)
        #expect(GridCount.row(taskId: "t", taskGroup: nil, within: "g") == nil)
    }
}
