import Foundation
import Testing
import UpdraftCore
import UpdraftStore

/// CLI reads and triggers while another process executes a run: nothing fails with "locked".
@Suite(.timeLimit(.minutes(10))) struct ConcurrentAccessTests {
    @Test func readsAndTriggersWhileARunWrites() async throws {
        let cli = try BinaryHarness()
        let (owner, _, _) = try cli.start([
            "dags", "trigger", "bench_fanout", "--conf", #"{"n": 3000, "sleep_ms": 10}"#, "--wait",
            "--parallelism", "2",
        ])
        let store = try cli.store()
        #expect(try await BinaryHarness.waitUntil(while: owner) { try await !store.runs(RunQuery(dagId: "bench_fanout")).isEmpty })
        let runId = try #require(try await store.runs(RunQuery(dagId: "bench_fanout")).first?.runId)
        var commands = 0
        var sawRunning = false
        while owner.isRunning && commands < 40 {
            for arguments in [
                ["runs", "list", "--json"], ["runs", "show", runId, "--json"],
                ["dags", "trigger", "bench_chain", "--conf", #"{"n": 2}"#], ["pools", "list"],
            ] {
                let result = try cli.run(arguments)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                #expect(!result.stderr.contains("locked"))
                if arguments[0] == "runs", arguments[1] == "list",
                    let rows = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]],
                    rows.contains(where: { $0["run_id"] as? String == runId && $0["state"] as? String == "running" })
                {
                    sawRunning = true
                }
                commands += 1
            }
        }
        owner.waitUntilExit()
        #expect(owner.terminationStatus == 0)
        // At least one round of every command while the run wrote (how many more depends on the machine's load).
        #expect(commands >= 4)
        #expect(sawRunning, "no read overlapped the run")
        #expect(try await store.run(RunKey("bench_fanout", runId))?.state == .success)
        let queued = try await store.runs(RunQuery(dagId: "bench_chain", states: [.queued]))
        #expect(queued.count == commands / 4)
    }
}
