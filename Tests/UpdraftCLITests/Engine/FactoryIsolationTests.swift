import Foundation
import Testing
import UpdraftCore
import UpdraftStore

/// Issue 8.3 and 8.4: a factory that traps, throws or runs past its cap fails only its run, and
/// says why in `runs show`, in `--json` and in its log.
@Suite(.serialized) struct FactoryIsolationTests {
    @Test func aFactoryThatTrapsFailsItsRunAndTheSchedulerGoesOn() async throws {
        let cli = try BinaryHarness()
        for dag in ["bench_daily", "get_symbols", "incremental"] { _ = try cli.run(["dags", "pause", dag]) }
        let trapping = try cli.run(["dags", "trigger", "bench_crash", "--conf", #"{"trap_factory": true}"#])
        #expect(trapping.status == 0, "\(trapping.stderr)")
        let fine = try cli.run(["dags", "trigger", "bench_chain", "--conf", #"{"n": 3}"#])
        #expect(fine.status == 0)
        let store = try cli.store()
        let (scheduler, _, _) = try cli.start(["scheduler", "--parallelism", "2"])
        defer { scheduler.terminate(); scheduler.waitUntilExit() }
        let ended = try await BinaryHarness.waitUntil(while: scheduler) {
            try await store.runs(RunQuery()).filter { ["bench_crash", "bench_chain"].contains($0.dagId) }
                .allSatisfy { $0.state.isTerminal }
        }
        #expect(ended)
        #expect(scheduler.isRunning)  // the trap took down a worker, not the scheduler
        let crash = try #require(try await store.runs(RunQuery(dagId: "bench_crash")).first)
        #expect(crash.state == .failed)
        let built = try #require(try await store.taskInstance(run: crash.key, taskId: "built"))
        #expect(built.state == .failed)
        #expect(built.error?.contains("deliberate trap while building tasks") == true)
        #expect(try await store.runs(RunQuery(dagId: "bench_chain")).first?.state == .success)

        let shown = try cli.run(["runs", "show", crash.runId])
        #expect(shown.stdout.contains("built: the factory crashed its worker while building its tasks"))
        let json = try cli.run(["runs", "show", crash.runId, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["run_type"] as? String == "manual")
        #expect(object["triggered_by"] as? String == "cli")
        #expect((object["consumed_asset_events"] as? [Any])?.isEmpty == true)
        let rows = try #require(object["task_instances"] as? [[String: Any]])
        let row = try #require(rows.first { $0["task_id"] as? String == "built" })
        #expect((row["error"] as? String)?.contains("deliberate trap") == true)
        let log = try cli.run(["tasks", "logs", crash.runId, "built"])
        #expect(log.status == 0, "\(log.stderr)")
        #expect(log.stdout.contains("deliberate trap while building tasks"))
    }

    @Test func aFactoryPastItsCapFailsWhileBuildingAndSaysWhy() async throws {
        let cli = try BinaryHarness()
        let result = try cli.run([
            "dags", "trigger", "bench_fanout", "--conf", #"{"n": 5000000}"#, "--wait",
            "--parallelism", "1",
        ])
        #expect(result.status == 1)
        let store = try cli.store()
        let run = try #require(try await store.runs(RunQuery(dagId: "bench_fanout")).first)
        let fan = try #require(try await store.taskInstance(run: run.key, taskId: "fan"))
        #expect(fan.error?.contains("built 5000000 tasks, more than its fan-out cap 100000") == true)
        let shown = try cli.run(["runs", "show", run.runId])
        #expect(shown.stdout.contains("fan: GraphError: factory 'fan' built 5000000 tasks"))
        let log = try cli.run(["tasks", "logs", run.runId, "fan"])
        #expect(log.stdout.contains("more than its fan-out cap"))
    }

    @Test func aNegativeFanOutIsAClearFailure() async throws {
        let cli = try BinaryHarness()
        let result = try cli.run(["dags", "trigger", "bench_fanout", "--conf", #"{"n": -1}"#, "--wait", "--parallelism", "1"])
        #expect(result.status == 1)
        let store = try cli.store()
        let run = try #require(try await store.runs(RunQuery(dagId: "bench_fanout")).first)
        #expect(try await store.taskInstance(run: run.key, taskId: "fan")?.error?.contains("conf n must be 0 or more, got -1") == true)
    }
}
