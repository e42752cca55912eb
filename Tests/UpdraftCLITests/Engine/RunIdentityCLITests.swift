import Foundation
import Testing
import UpdraftCore
import UpdraftStore

/// Issue 8.1 through the binary: run ids repeat across DAGs; commands name the DAG when needed.
@Suite struct RunIdentityCLITests {
    @Test func aBackfillCountsOnlyItsOwnDAGsRunsAndAmbiguousIdsAskForTheDAG() async throws {
        let cli = try BinaryHarness()
        let daily = try cli.run([
            "backfill", "create", "bench_daily", "--from", "2024-01-01", "--to", "2024-01-03", "--wait", "--parallelism", "1",
        ])
        #expect(daily.status == 0, "\(daily.stderr)")

        let store = try cli.store()
        let id = "backfill__2024-01-02T00:00:00+00:00"
        try await store.createRun(
            DAGRun(
                dagId: "bench_chain", runId: id, runType: .backfill,
                logicalDate: Date(timeIntervalSince1970: 1_704_153_600),
                dataInterval: DataInterval(
                    start: Date(timeIntervalSince1970: 1_704_153_600),
                    end: Date(timeIntervalSince1970: 1_704_153_600)),
                queuedAt: Date()), instances: [])
        let ambiguous = try cli.run(["runs", "show", id])
        #expect(ambiguous.status == 2)
        #expect(ambiguous.stderr.contains("run id '\(id)' exists in DAGs bench_chain, bench_daily: name one with --dag"))
        let chosen = try cli.run(["runs", "show", id, "--dag", "bench_daily"])
        #expect(chosen.status == 0)
        #expect(chosen.stdout.contains("of DAG bench_daily"))
        let unknown = try cli.run(["runs", "show", id, "--dag", "bench_fanout"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("DAG 'bench_fanout' has no run with id '\(id)'"))
        // A second backfill of the same dates counts only bench_daily's runs: each date has one, none is added.
        let again = try cli.run([
            "backfill", "create", "bench_daily", "--from", "2024-01-01", "--to", "2024-01-03", "--wait", "--parallelism", "1",
        ])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("completed: 0 run(s): 0 success, 0 failed; 3 date(s) left to existing runs"))
        #expect(try await store.runs(RunQuery(dagId: "bench_daily")).count == 3)
    }
}
