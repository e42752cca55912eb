import Foundation
import Testing
import UpdraftCore

@testable import UpdraftStore

/// A home made by an earlier version opens and migrates, keeping every row.
@Suite struct MigrationTests {
    /// `Fixtures/updraft-80e0ebf.db`: made by commit 80e0ebf (run ids unique across the store) with
    /// a 3-day `bench_daily` backfill, a `backfill get_symbols` over the same days (which counted
    /// `bench_daily`'s runs and created none), `bench_retry`, `bench_fanout` runs (one with a lease of
    /// a dead process) and their tries, XCom and factory inputs.
    static func copyOfFixture() throws -> String {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/updraft-80e0ebf.db")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("updraft.db").path
        try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
        return path
    }

    @Test func aDatabaseOfVersion80e0ebfMigratesWithEveryRow() async throws {
        let store = try SQLiteStateStore(path: try Self.copyOfFixture())
        let runs = try await store.runs(RunQuery())
        #expect(runs.count == 7)
        #expect(
            Dictionary(grouping: runs, by: \.dagId).mapValues(\.count)
                == ["bench_daily": 3, "bench_fanout": 3, "bench_retry": 1])
        let day = RunKey("bench_daily", "backfill__2024-01-02T00:00:00+00:00")
        #expect(try await store.run(day)?.state == .success)
        #expect(try await store.taskInstances(run: day).count == 10)
        #expect(try await store.tries(run: day, taskId: "load").map(\.state) == [.success])
        #expect(try await store.xcom(run: day, taskId: "extract", key: "return_value") != nil)
        let retry = try #require(runs.first { $0.dagId == "bench_retry" })
        let groupedTries = try await store.tries(run: retry.key, taskId: "retry.flaky").count
        let plainTries = try await store.tries(run: retry.key, taskId: "flaky").count
        #expect(groupedTries == 3 || plainTries == 3)
        let fanned = try #require(runs.first { $0.dagId == "bench_fanout" && $0.conf["n"] == 3 })
        #expect(try await store.factoryInputs(run: fanned.key).keys.sorted() == ["fan"])
        #expect(try await store.leases().map(\.run.dagId) == ["bench_fanout"])
        #expect(try await store.dagEntries().count == 11)
        #expect(try await store.dagEntries().allSatisfy { $0.lastScheduledInterval == nil })  // no scheduled runs in it
        // What 80e0ebf refused ("a run with id … already exists"): the same id in another DAG.
        try await store.createRun(
            DAGRun(
                dagId: "get_symbols", runId: day.runId, runType: .backfill,
                logicalDate: Date(timeIntervalSince1970: 1_704_153_600),
                dataInterval: DataInterval(
                    start: Date(timeIntervalSince1970: 1_704_153_600),
                    end: Date(timeIntervalSince1970: 1_704_240_000)),
                queuedAt: Date()), instances: [])
        #expect(try await store.runs(RunQuery(runId: day.runId)).count == 2)
    }

    /// An old home gains the REST API's entities: its runs have no note, user or version, and the
    /// new tables start empty and work.
    @Test func aDatabaseOfVersion80e0ebfGainsTheAPIEntities() async throws {
        let store = try SQLiteStateStore(path: try Self.copyOfFixture())
        let runs = try await store.runs(RunQuery())
        #expect(runs.count == 7)
        #expect(runs.allSatisfy { $0.note == nil && $0.triggeringUserName == nil && $0.dagVersionId == nil })
        #expect(try await store.countRuns(RunQuery(dagId: "bench_daily")) == 3)
        #expect(try await store.users().isEmpty)
        #expect(try await store.variables().isEmpty)
        #expect(try await store.connections().isEmpty)
        #expect(try await store.eventLogs(EventLogQuery()).total == 0)
        let day = RunKey("bench_daily", "backfill__2024-01-02T00:00:00+00:00")
        try await store.setRunNote(day, note: "migrated")
        #expect(try await store.run(day)?.note == "migrated")
        #expect(try await store.xcoms(run: day, taskId: "extract").map(\.key) == ["return_value"])
        let versions = try await store.syncDAGVersions(["bench_daily": "h"], now: Date())
        #expect(versions["bench_daily"]?.versionNumber == 1)
        try await store.saveVariable(VariableRecord(key: "k", value: "v"))
        #expect(try await store.variable("k")?.value == "v")
    }

    /// A scheduler and a CLI call that open an old home at once migrate it one after the other
    /// (before, the second failed with "duplicate column name: last_scheduled_start").
    @Test func twoConnectionsOpeningAnOldDatabaseAtOnceBothSucceed() async throws {
        for _ in 0..<10 {
            let path = try Self.copyOfFixture()
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await SQLiteStateStore(path: path).runs(RunQuery()).count }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(counts == [7, 7])
        }
    }
}

extension MigrationTests {
    /// The fixture's runs (made before backfills were rows) get no backfill id; new ones can.
    @Test func oldRunsHaveNoBackfillAfterTheBackfillsMigration() async throws {
        let store = try SQLiteStateStore(path: try Self.copyOfFixture())
        #expect(try await store.runs(RunQuery()).allSatisfy { $0.backfillId == nil })
        #expect(try await store.backfills(dagId: nil, activeOnly: false).isEmpty)
        let backfill = try await store.createBackfill(
            BackfillRecord(dagId: "bench_daily", fromDate: .utc(2024, 1, 1), toDate: .utc(2024, 1, 3), createdAt: .utc(2024, 2, 1)))
        #expect(backfill.id == 1)
        #expect(backfill.maxActiveRuns == 10 && backfill.reprocessBehavior == .none)
    }
}
