import Foundation
import PostgresNIO
import Testing
import UpdraftCore

@testable import UpdraftPostgres
@testable import UpdraftStore

/// The fenced commit runs as one prepared statement: whatever a batch holds, its text is the
/// statement's, and only the binds differ.
@Suite struct PostgresPreparedStatementTests {
    @Test func everyFencedBatchHasTheTextOfTheOneFencedCommit() throws {
        let run = RunKey("etl", "r1")
        let fence = LeaseToken(run: run, owner: ProcessIdentity(pid: 42, startTime: 7, host: "host-a"), fencingToken: 9)
        var full = StateBatch()
        full.runs = [StateStoreTests.run("r1")]
        full.instances = [
            TaskInstance(runId: "r1", dagId: "etl", taskId: "a", state: .running, tryNumber: 1),
            TaskInstance(runId: "r1", dagId: "etl", taskId: "a", state: .success, tryNumber: 1),
        ]
        full.tries = [TaskTry(dagId: "etl", runId: "r1", taskId: "a", tryNumber: 1, state: .success, startDate: nil, endDate: nil)]
        full.xcoms = [XComEntry(run: run, taskId: "a", key: "return_value", value: Array("1".utf8))]
        full.factoryInputs = [FactoryInput(run: run, factoryId: "f", input: Array("[]".utf8))]
        full.queuedTries = [
            QueuedTry(
                key: TryKey(dagId: "etl", runId: "r1", taskId: "b", tryNumber: 1), queue: "remote", priority: 1, payload: [1],
                dagHash: "h", enqueuedAt: Date(timeIntervalSince1970: 0))
        ]
        var onlyOne = StateBatch()
        onlyOne.instances = [full.instances[0]]
        for batch in [full, onlyOne, StateBatch()] {
            let built = try PostgresStateStore.fencedWrites(batch, fence: fence)
            #expect(built.text == PostgresStateStore.FencedCommit.text)
            #expect(built.binds.count == PostgresStateStore.FencedCommit.text.components(separatedBy: "$").count - 1)
        }
        // The queue's insert wakes its workers, and the statement reads that part so that it runs.
        #expect(PostgresStateStore.FencedCommit.text.contains("pg_notify('\(QueueChannel.queued)'"))
        #expect(PostgresStateStore.FencedCommit.text.hasSuffix("(SELECT count(*) FROM queued)"))
    }

    /// The task queue keeps no index on its state (three state changes a row, each one more index
    /// entry), but one on its running rows, through which the prepared completion finds them.
    @Test(.enabled(if: PostgresTestDatabase.adminURL != nil))
    func theQueueIndexesOnlyItsQueuedAndRunningRowsBesideItsKey() async throws {
        let store = try await PostgresTestDatabase.makeStore()
        let indexes = try await store.client.query("SELECT indexname FROM pg_indexes WHERE tablename = 'task_queue'").collect()
            .map { try $0.decode(String.self) }
        #expect(Set(indexes) == ["task_queue_pkey", "task_queue_claim", "task_queue_running"])
        await store.close()
    }

    /// A task instance's state change is a heap-only update: no index holds the state, and pages
    /// keep room, so it adds no index entry. A commit's write of 10 instances of a full table's
    /// first page (300 rows, several pages) shows it without relying on pruning, which a snapshot
    /// of another session can hold back.
    @Test(.enabled(if: PostgresTestDatabase.adminURL != nil))
    func taskInstanceStateChangesAreHeapOnlyUpdates() async throws {
        let store = try await PostgresTestDatabase.makeStore()
        let ids = (0..<300).map { String(format: "task_%03d", $0) }
        var created = StateBatch()
        created.runs = [StateStoreTests.run("r1")]
        created.instances = ids.map { TaskInstance(runId: "r1", dagId: "etl", taskId: $0, group: "g", state: .scheduled) }
        try await store.commit(created)
        var batch = StateBatch()
        batch.instances = ids.prefix(10).map {
            TaskInstance(runId: "r1", dagId: "etl", taskId: $0, group: "g", state: .running, tryNumber: 1, startDate: Date())
        }
        let query = try #require(try PostgresStateStore.writes(batch, fence: nil))
        // The connection's counts not yet flushed, before and after the write.
        let (before, after) = try await store.transaction { connection in
            let counts: () async throws -> (Int, Int) = {
                let row = try await connection.query(
                    "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'task_instance'",
                    logger: store.logger
                ).collect().first
                return try #require(row).decode((Int, Int).self)
            }
            let before = try await counts()
            try await connection.query(query, logger: store.logger)
            return (before, try await counts())
        }
        #expect(after.0 - before.0 == 10)
        #expect(after.1 - before.1 == 10)
        let options = try await store.client.query("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'task_instance'")
            .collect().first?.decode(String?.self)
        #expect(options == "fillfactor=70")
        await store.close()
    }
}
