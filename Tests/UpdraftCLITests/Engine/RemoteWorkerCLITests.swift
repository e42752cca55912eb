import Foundation
import Testing
import UpdraftCore
import UpdraftStore

/// `updraft worker` beside `updraft scheduler --queues ''` over one state file (SQLite through
/// `state.url`), each with a home of its own, as two hosts would be: the worker runs every try,
/// ships its logs to the store, and both are listed; `db check` and `db backup` see them.
@Suite(.serialized) struct RemoteWorkerCLITests {
    @Test func aWorkerWithAHomeOfItsOwnRunsTheSchedulersTriesAndItsLogsAreReadFromTheStore() async throws {
        let scheduler = try BinaryHarness()
        let worker = try BinaryHarness()
        defer {
            try? FileManager.default.removeItem(atPath: scheduler.home)
            try? FileManager.default.removeItem(atPath: worker.home)
        }
        let shared = ["UPDRAFT_STATE_URL": "sqlite://" + scheduler.home + "/updraft.db", "UPDRAFT_STATE_LEASE_TIMEOUT": "6"]
        #expect(try scheduler.run(["db", "migrate"], environment: shared).status == 0)
        let (schedulerProcess, _, _) = try scheduler.start(["scheduler", "--queues", "", "--parallelism", "1"], environment: shared)
        let (workerProcess, _, _) = try worker.start(["worker", "--queues", "default", "--concurrency", "2"], environment: shared)
        defer {
            for process in [schedulerProcess, workerProcess] where process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
        let trigger = try scheduler.run(["dags", "trigger", "bench_chain", "--conf", #"{"n": 3}"#], environment: shared)
        #expect(trigger.status == 0, "\(trigger.stderr)")
        let runId = try #require(trigger.stdout.split(separator: "\n").last.map(String.init))
        let store = try scheduler.store()
        #expect(
            try await BinaryHarness.waitUntil(while: workerProcess) {
                try await store.run(RunKey("bench_chain", runId))?.state == .success
            })
        // Every try ran on the worker (the scheduler serves no queue).
        let rows = try await store.queuedTries(state: nil).filter { $0.entry.key.runId == runId }
        #expect(rows.count == 3 && rows.allSatisfy { $0.state == .done })

        // The scheduler's home has no log file of the try: the log comes from the store.
        let logs = try scheduler.run(["tasks", "logs", runId, "chain.step_2", "--dag", "bench_chain"], environment: shared)
        #expect(logs.status == 0, "\(logs.stderr)")
        #expect(logs.stdout.contains("chain.step_2"), "\(logs.stdout)")
        #expect(!FileManager.default.fileExists(atPath: scheduler.home + "/logs/bench_chain/\(runId)/chain.step_2.try-1.log"))

        let workers = try scheduler.run(["workers", "list", "--json"], environment: shared)
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(workers.stdout.utf8)) as? [[String: Any]])
        #expect(listed.count == 1)
        #expect(listed.first?["queues"] as? [String] == ["default"] && listed.first?["slots"] as? Int == 2)
        #expect(listed.first?["pid"] as? Int == Int(workerProcess.processIdentifier))
        #expect(listed.first?["state"] as? String == "alive")
        #expect(
            try await BinaryHarness.waitUntil(while: schedulerProcess) {
                let schedulers = try scheduler.run(["schedulers", "list", "--json"], environment: shared)
                return schedulers.stdout.contains("\"pid\":\(schedulerProcess.processIdentifier)")
            })

        let check = try scheduler.run(["db", "check"], environment: shared)
        #expect(check.status == 0)
        let health = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        #expect((health["metadatabase"] as? [String: Any])?["status"] as? String == "healthy")
        #expect((health["scheduler"] as? [String: Any])?["status"] as? String == "healthy")
        #expect((health["workers"] as? [String: Any])?["alive"] as? Int == 1)

        let backup = scheduler.home + "/backup.db"
        let first = try scheduler.run(["db", "backup", backup], environment: shared)
        #expect(first.status == 0, "\(first.stderr)")
        let copy = try SQLiteStateStore(path: backup)
        #expect(try await copy.run(RunKey("bench_chain", runId))?.state == .success)
        let copied = try await copy.queuedTries(state: nil)
        #expect(copied.filter { $0.entry.key.runId == runId && $0.state == .done }.count == 3, "\(copied.map { ($0.entry.key, $0.state) })")
        let again = try scheduler.run(["db", "backup", backup], environment: shared)
        #expect(again.status != 0 && again.stderr.contains("exists already"))

        // A graceful stop removes the worker's registration.
        workerProcess.terminate()
        workerProcess.waitUntilExit()
        #expect(try await store.workers().filter { $0.kind == "worker" }.isEmpty)
    }

    @Test func aPasswordWrittenIntoTheStateURLIsRefusedWithoutShowingIt() throws {
        let harness = try BinaryHarness()
        defer { try? FileManager.default.removeItem(atPath: harness.home) }
        let result = try harness.run(
            ["dags", "list"], environment: ["UPDRAFT_STATE_URL": "postgresql://updraft:hunter2@127.0.0.1:9/updraft"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("state.password"))
        #expect(!result.stderr.contains("hunter2") && !result.stdout.contains("hunter2"))
    }
}
