import Foundation
import GRDB
import Testing
import UpdraftCore
import UpdraftPostgres
import UpdraftStore

/// `importSQLite` and `exportSQLite`: a home's SQLite state moves to PostgreSQL and back with every
/// row of every table equal.
@Suite(.enabled(if: PostgresTestDatabase.adminURL != nil)) struct PostgresCopyTests {
    static let t0 = Date(timeIntervalSince1970: 1_704_067_200.125)

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("updraft-copy-\(UUID().uuidString)/updraft.db").path
    }

    /// Rows in every table a copy carries.
    static func seed(_ store: SQLiteStateStore) async throws {
        try await store.syncDAGs([DAGEntry(dagId: "etl", isPaused: false), DAGEntry(dagId: "report", isPaused: true)])
        try await store.setLastScheduledInterval("etl", DataInterval(start: t0, end: t0.addingTimeInterval(86_400)))
        let backfill = try await store.createBackfill(
            BackfillRecord(dagId: "etl", fromDate: t0, toDate: t0.addingTimeInterval(3 * 86_400), dagRunConf: ["x": 1], createdAt: t0))
        let ticks = Asset("ticks", uri: "updraft://warehouse/ticks", extra: ["rows": 3])
        var references = AssetReferences()
        references.assets = [ticks]
        references.consumers = [ticks.uri: ["report"]]
        references.producers = [ticks.uri: [TaskKeyName("etl", "load")]]
        try await store.syncAssets(references, now: t0)
        let assetId = try #require(try await store.assets().first?.id)
        let external = try await store.recordExternalAssetEvent(assetId: assetId, extra: ["by": "api"], now: t0)
        var run = StateStoreTests.run("r1")
        run.backfillId = backfill.id
        run.triggeringUserName = "ada"
        run.dagVersionId = "v1"
        try await store.createRun(
            run,
            instances: [
                TaskInstance(runId: "r1", dagId: "etl", taskId: "extract"),
                TaskInstance(runId: "r1", dagId: "etl", taskId: "g.load", group: "g", maxTries: 2, pool: "api", priority: 4),
            ])
        try await store.createRun(StateStoreTests.run("r2", dag: "report"), instances: [], consumedEvents: [external.id])
        try await store.setRunNote(run.key, note: "checked")
        var batch = StateBatch()
        batch.instances = [
            TaskInstance(
                runId: "r1", dagId: "etl", taskId: "extract", state: .success, tryNumber: 1, startDate: t0,
                endDate: t0.addingTimeInterval(1.5), error: nil)
        ]
        batch.tries = [
            TaskTry(
                dagId: "etl", runId: "r1", taskId: "extract", tryNumber: 1, state: .success, startDate: t0,
                endDate: t0.addingTimeInterval(1.5))
        ]
        batch.xcoms = [XComEntry(run: run.key, taskId: "extract", key: "return_value", value: [0, 1, 2, 255])]
        batch.factoryInputs = [FactoryInput(run: run.key, factoryId: "fan", input: Array("[1,2]".utf8))]
        batch.assetEvents = [AssetEventDraft(asset: ticks, sourceRun: run.key, sourceTaskId: "extract", timestamp: t0)]
        batch.notifications = [
            NotificationDraft(
                key: "on-failure:etl:r1", channel: "slack", event: "task_failed", dagId: "etl", runId: "r1", title: "etl failed",
                lines: ["boom"], items: [NotificationItem(taskId: "extract", tryNumber: 1, lines: ["KeyError"])], createdAt: t0)
        ]
        try await store.commit(batch)
        let claimed = try await store.claimNotifications(owner: "me", now: t0, limit: 10, lease: 60)
        for message in claimed {
            _ = try await store.recordNotificationAttempt(
                id: message.id, owner: "me", at: t0, outcome: .retry(error: "429", at: t0.addingTimeInterval(30)))
        }
        try await store.setPool(PoolRecord(name: "api", slots: 3, description: "rate limited"))
        try await store.saveUser(UserRecord(username: "ada", passwordHash: "$2b$hash", role: .admin, createdAt: t0))
        _ = try await store.signingKey(orStore: [9, 8, 7])
        try await store.saveVariable(VariableRecord(key: "region", value: "eu", description: "where"))
        try await store.saveConnection(
            ConnectionRecord(connectionId: "db", connType: "postgres", host: "h", login: "u", password: "pw", port: 5432, extra: "{}"))
        _ = try await store.recordEvent(EventLogRecord(when: t0, event: "trigger", owner: "ada", dagId: "etl", runId: "r1", tryNumber: 1))
        _ = try await store.syncDAGVersions(["etl": "hash1", "report": "hash2"], now: t0)
        _ = try await store.acquireLease(
            run: run.key, owner: ProcessIdentity(pid: 1, startTime: 1, host: "h"), now: t0, timeout: 30, isAlive: { _ in true })
        // A try a remote worker ran, with its shipped log.
        let remote = QueuedTry(
            key: TryKey(dagId: "etl", runId: "r1", taskId: "load", tryNumber: 1), queue: "warehouse", payload: [1, 2],
            dagHash: "hash1", enqueuedAt: t0)
        try await store.enqueueTry(remote)
        let claim = try await store.claimTries(worker: "w1", queues: ["warehouse"], limit: 1, now: t0, timeout: 30)[0].1
        try await store.completeTry(claim, result: [3], now: t0)
        try await store.appendLogChunk(remote.key, offset: 0, bytes: Array("shipped\n".utf8))
    }

    /// Every row of every copied table, in a fixed order, as GRDB reads it.
    static func contents(_ path: String, tables: [String]) throws -> [String: [[DatabaseValue]]] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            var result: [String: [[DatabaseValue]]] = [:]
            for table in tables {
                let columns = try db.columns(in: table).map { "\"\($0.name)\"" }.joined(separator: ", ")
                result[table] = try Row.fetchAll(db, sql: "SELECT \(columns) FROM \"\(table)\" ORDER BY \(columns)").map {
                    Array($0.databaseValues)
                }
            }
            return result
        }
    }

    @Test func aSQLiteHomeRoundTripsThroughPostgreSQL() async throws {
        let source = Self.temporaryPath()
        try await Self.seed(try SQLiteStateStore(path: source))
        let store = try await PostgresTestDatabase.makeStore()
        let imported = try await store.importSQLite(path: source)
        #expect(imported["dag_run"] == 2)
        #expect(imported["xcom"] == 1)
        #expect(imported["notification_attempt"] == 1)
        #expect(imported["run_lease"] == nil)
        for (table, count) in imported where table != "slot_pool" { #expect(count > 0, "\(table) was not seeded") }
        // The store reads what was copied.
        #expect(try await store.run(RunKey("etl", "r1"))?.note == "checked")
        #expect(try await store.xcom(run: RunKey("etl", "r1"), taskId: "extract", key: "return_value") == [0, 1, 2, 255])
        #expect(try await store.signingKey(orStore: [1]) == [9, 8, 7])
        // New rows get ids past the copied ones.
        let id = try await store.recordEvent(EventLogRecord(when: Self.t0, event: "after-copy"))
        #expect(id == 2)

        let backup = Self.temporaryPath()
        let exported = try await store.exportSQLite(to: backup)
        var expected = imported
        expected["log"] = 2
        #expect(exported == expected)
        let after = try await store.recordEvent(EventLogRecord(when: Self.t0, event: "after-backup"))
        #expect(after == 3)
        _ = try await store.deleteEventLogs(before: .distantFuture)
        // Compare without the entry added after the import.
        let restored = try await PostgresTestDatabase.makeStore()
        _ = try await restored.importSQLite(path: backup)
        let roundTrip = Self.temporaryPath()
        _ = try await restored.exportSQLite(to: roundTrip)
        let tables = imported.keys.sorted()
        var original = try Self.contents(source, tables: tables)
        var copied = try Self.contents(backup, tables: tables)
        copied["log"] = copied["log"]?.filter { $0[2] != "after-copy".databaseValue }
        #expect(copied == original)
        original = try Self.contents(backup, tables: tables)
        #expect(try Self.contents(roundTrip, tables: tables) == original)
        // A backup is a state file SQLite opens.
        let reopened = try SQLiteStateStore(path: backup)
        #expect(try await reopened.run(RunKey("etl", "r1"))?.note == "checked")
    }

    @Test func importRefusesADatabaseThatHasState() async throws {
        let source = Self.temporaryPath()
        try await Self.seed(try SQLiteStateStore(path: source))
        let store = try await PostgresTestDatabase.makeStore()
        try await store.saveVariable(VariableRecord(key: "mine", value: "1"))
        await #expect {
            try await store.importSQLite(path: source)
        } throws: { error in
            "\(error)".contains("not empty") && "\(error)".contains("variable")
        }
        #expect(try await store.variables().map(\.key) == ["mine"])
    }

    @Test func exportRefusesToOverwriteAFile() async throws {
        let store = try await PostgresTestDatabase.makeStore()
        let path = Self.temporaryPath()
        _ = try SQLiteStateStore(path: path)
        await #expect(throws: StoreError.self) { try await store.exportSQLite(to: path) }
    }
}
