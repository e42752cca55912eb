import Foundation
import Testing
import UpdraftRuntime
import UpdraftStore
import UpdraftTesting

/// Tasks read variables and connections through their context, in-process and as a worker does.
@Suite(.timeLimit(.minutes(5))) struct TaskSettingsTests {
    struct Seen: Codable, Equatable {
        var greeting: String?
        var missing: String?
        var host: String?
        var port: Int?
        var password: String?
    }

    static func dag() -> DAG {
        DAG("settings") { d in
            _ = d.task("read") { ctx in
                let db = try ctx.connection("warehouse")
                try ctx.xcomPush(
                    "seen",
                    Seen(
                        greeting: try ctx.variable("greeting"), missing: try ctx.variable("nope"), host: db?.host,
                        port: db?.port, password: db?.password))
            }
        }
    }

    static let expected = Seen(greeting: "hello", missing: nil, host: "db.local", port: 5432, password: "pw")

    static func fill(_ store: any StateStore) async throws {
        try await store.saveVariable(VariableRecord(key: "greeting", value: "hello"))
        try await store.saveConnection(
            ConnectionRecord(connectionId: "warehouse", connType: "postgres", host: "db.local", password: "pw", port: 5432))
    }

    @Test func aTaskReadsThemInProcess() async throws {
        let harness = try await DAGTestHarness(dags: [Self.dag()])
        try await Self.fill(harness.store)
        let result = try await harness.run("settings")
        #expect(result.state == .success)
        let bytes = try #require(try await harness.store.xcom(run: result.run.key, taskId: "read", key: "seen"))
        #expect(try XComCoding.decode(Seen.self, from: bytes, source: "seen") == Self.expected)
    }

    /// A worker process runs `TaskRunner` with no store but the request's SQLite file: the same
    /// code runs here, in this process.
    @Test func aWorkerReadsThemFromTheStoreFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-settings-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("updraft.db").path
        try await Self.fill(try SQLiteStateStore(path: path))
        let runner = TaskRunner(registry: try DAGRegistry([Self.dag()]))
        let request = TaskRequest(
            dagId: "settings", runId: "r1", taskId: "read", tryNumber: 1, logicalDate: .utc(2024, 1, 1),
            dataInterval: DataInterval(start: .utc(2024, 1, 1), end: .utc(2024, 1, 1)), params: [:], storePath: path,
            logPath: folder.appendingPathComponent("read.log").path)
        let reply = await runner.run(request)
        #expect(reply.outcome == .success, "\(reply.error ?? "")")
        let seen = try #require(reply.xcoms["seen"])
        #expect(try XComCoding.decode(Seen.self, from: Array(seen.utf8), source: "seen") == Self.expected)
    }

    /// Without a store (a request with no file), the task fails with an error that says what it asked for.
    @Test func withoutAStoreTheTaskFailsNamingTheVariable() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let runner = TaskRunner(registry: try DAGRegistry([Self.dag()]))
        let request = TaskRequest(
            dagId: "settings", runId: "r1", taskId: "read", tryNumber: 1, logicalDate: .utc(2024, 1, 1),
            dataInterval: DataInterval(start: .utc(2024, 1, 1), end: .utc(2024, 1, 1)), params: [:],
            logPath: folder.appendingPathComponent("read.log").path)
        let reply = await runner.run(request)
        #expect(reply.outcome == .failed)
        #expect(reply.error?.contains("connection 'warehouse'") == true)
    }
}
