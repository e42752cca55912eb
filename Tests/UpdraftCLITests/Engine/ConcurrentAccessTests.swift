import Foundation
import Testing
import UpdraftCore
import UpdraftStore

/// CLI reads and triggers while another process executes a run: nothing fails with "locked".
@Suite struct ConcurrentAccessTests {
    @Test func readsAndTriggersWhileARunWrites() throws {
        let cli = try BinaryHarness()
        let (owner, _, _) = try cli.start(["dags", "trigger", "bench_fanout", "--conf", #"{"n": 600}"#, "--wait",
                                           "--parallelism", "2"])
        let store = try cli.store()
        #expect(try BinaryHarness.waitUntil(seconds: 20) { try !store.runs(RunQuery(dagId: "bench_fanout")).isEmpty })
        let runId = try #require(try store.runs(RunQuery(dagId: "bench_fanout")).first?.runId)
        var commands = 0
        while owner.isRunning && commands < 40 {
            for arguments in [["runs", "list", "--json"], ["runs", "show", runId, "--json"],
                              ["dags", "trigger", "bench_chain", "--conf", #"{"n": 2}"#], ["pools", "list"]] {
                let result = try cli.run(arguments)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                #expect(!result.stderr.contains("locked"))
                commands += 1
            }
        }
        owner.waitUntilExit()
        #expect(owner.terminationStatus == 0)
        #expect(commands >= 4)
        #expect(try store.run(runId)?.state == .success)
        let queued = try store.runs(RunQuery(dagId: "bench_chain", states: [.queued]))
        #expect(queued.count == commands / 4)
    }
}
