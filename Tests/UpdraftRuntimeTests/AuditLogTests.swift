import Foundation
import Testing
import UpdraftRuntime
import UpdraftStore
import UpdraftTesting

/// Every state-changing engine operation writes an audit entry with its owner.
@Suite(.timeLimit(.minutes(5))) struct AuditLogTests {
    static func dag() -> DAG {
        DAG("etl") { d in
            let extract = d.task("extract") { _ in }
            let load = d.task("load") { _ in }
            extract >> load
        }
    }

    static func entries(_ harness: DAGTestHarness) async throws -> [EventLogRecord] {
        try await harness.store.eventLogs(EventLogQuery()).records
    }

    @Test func runOperationsAreLoggedWithTheirOwner() async throws {
        let clock = ManualClock(now: .utc(2024, 1, 1))
        let harness = try await DAGTestHarness(dags: [Self.dag()], clock: clock)
        let run = try await harness.engine.trigger(dagId: "etl", note: "by hand", triggeringUserName: "ada")
        #expect(run.note == "by hand" && run.triggeringUserName == "ada")
        #expect(try await harness.store.run(run.key)?.triggeringUserName == "ada")
        _ = try await harness.execute(run.key)
        try await harness.engine.clear(run: run.key, taskIds: ["load"], owner: "bob")
        try await harness.engine.markTask(run: run.key, taskId: "load", state: .failed, owner: "carol")
        _ = try await harness.engine.markRun(run: run.key, state: .success, owner: "dave")
        try await harness.engine.setRunNote(run.key, note: "looked at", owner: "erin")
        #expect(try await harness.store.run(run.key)?.note == "looked at")
        let second = try await harness.engine.trigger(dagId: "etl", runId: "second", triggeringUserName: "ada")
        _ = try await harness.engine.cancel(run: second.key, owner: "frank")

        let entries = try await Self.entries(harness)
        #expect(
            entries.map { "\($0.event) \($0.owner ?? "-") \($0.runId ?? "-")" } == [
                "trigger_dag_run ada \(run.runId)", "clear bob \(run.runId)", "mark_task_instance_failed carol \(run.runId)",
                "mark_dag_run_success dave \(run.runId)", "set_dag_run_note erin \(run.runId)", "trigger_dag_run ada second",
                "cancel_dag_run frank second",
            ])
        #expect(entries.allSatisfy { $0.dagId == "etl" && $0.when == .utc(2024, 1, 1) })
        #expect(entries[1].taskId == "load" && entries[1].extra == #"{"task_ids":["load"]}"#)
        #expect(entries[0].extra == #"{"triggered_by":"cli"}"#)
        await #expect(throws: RuntimeError.unknownRun(RunKey("etl", "nope"))) {
            try await harness.engine.setRunNote(RunKey("etl", "nope"), note: "x", owner: "erin")
        }
    }

    @Test func settingsChangesAreLoggedWithoutSecrets() async throws {
        let harness = try await DAGTestHarness(dags: [Self.dag()])
        let engine = harness.engine
        #expect(try await engine.setPaused("etl", true, owner: "ada"))
        #expect(try await engine.setPaused("etl", false, owner: "ada"))
        await #expect(throws: RuntimeError.unknownDAG("nope")) { try await engine.setPaused("nope", true, owner: "ada") }
        try await engine.setPool(PoolRecord(name: "api", slots: 4), owner: "ada")
        #expect(try await engine.deletePool("api", owner: "ada"))
        #expect(try await !engine.deletePool("api", owner: "ada"))
        await #expect(throws: RuntimeError.self) { try await engine.deletePool("default_pool", owner: "ada") }
        try await engine.setVariable(VariableRecord(key: "api_token", value: "s3cr3t"), owner: "ada")
        #expect(try await engine.deleteVariable("api_token", owner: "ada"))
        #expect(try await !engine.deleteVariable("api_token", owner: "ada"))
        try await engine.setConnection(ConnectionRecord(connectionId: "db", connType: "postgres", password: "pw"), owner: "ada")
        #expect(try await engine.deleteConnection("db", owner: "ada"))
        try await engine.saveUser(UserRecord(username: "bob", passwordHash: "hash!", role: .op, createdAt: .utc(2024, 1, 1)), owner: "ada")
        #expect(try await engine.deleteUser("bob", owner: "ada"))

        let entries = try await Self.entries(harness)
        #expect(
            entries.map(\.event) == [
                "pause_dag", "unpause_dag", "set_pool", "delete_pool", "set_variable", "delete_variable", "set_connection",
                "delete_connection", "set_user", "delete_user",
            ])
        #expect(entries.allSatisfy { $0.owner == "ada" })
        let extras = entries.compactMap(\.extra).joined()
        #expect(!extras.contains("s3cr3t") && !extras.contains("\"pw\"") && !extras.contains("hash!"))
        #expect(entries[2].extra == #"{"pool":"api","slots":4}"#)
        #expect(entries[8].extra == #"{"role":"op","username":"bob"}"#)
    }

    @Test func anExternalAssetEventIsLoggedAndQueued() async throws {
        let ticks = Asset("ticks", uri: "updraft://warehouse/ticks")
        let producer = DAG("producer") { d in _ = d.task("publish", options: TaskOptions(outlets: [ticks])) { _ in } }
        let consumer = DAG("consumer", assets: .asset(ticks)) { d in _ = d.task("use") { _ in } }
        let harness = try await DAGTestHarness(dags: [producer, consumer])
        let asset = try #require(try await harness.store.assets().first)
        let event = try await harness.engine.createAssetEvent(assetId: asset.id, extra: ["by": "api"], owner: "ada")
        #expect(try await harness.store.queuedAssetEvents(dagId: "consumer") == [event])
        let entry = try #require(try await Self.entries(harness).last)
        #expect(entry.event == AuditEvent.createAssetEvent && entry.owner == "ada")
        await #expect(throws: StoreError.unknownAsset(42)) {
            try await harness.engine.createAssetEvent(assetId: 42, owner: "ada")
        }
    }
}
