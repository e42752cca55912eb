import Foundation
import GRDB
import Testing
import UpdraftCore
import UpdraftStore

/// A row the store cannot read is an error naming it, never a default that changes what runs.
@Suite struct CorruptRowTests {
    @Test func aRunWhoseConfIsNotJSONIsAnErrorNamingTheRun() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("corrupt-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStateStore(path: path)
        let run = DAGRun(
            dagId: "etl", runId: "manual__1", runType: .manual, logicalDate: .utc(2024, 1, 1),
            dataInterval: DataInterval(start: .utc(2024, 1, 1), end: .utc(2024, 1, 1)),
            queuedAt: .utc(2024, 1, 1), conf: ["limit": 5])
        try await store.createRun(run, instances: [])
        #expect(try await store.run(run.key)?.conf == ["limit": 5])

        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try db.execute(sql: "UPDATE dag_run SET conf = 'limit=5' WHERE run_id = 'manual__1'") }
        try queue.close()
        let error = await #expect(throws: (any Error).self) { try await store.run(run.key) }
        #expect("\(error!)".contains("conf of run manual__1 of DAG etl"))
        await #expect(throws: (any Error).self) { try await store.runs(RunQuery(dagId: "etl")) }
    }
}
