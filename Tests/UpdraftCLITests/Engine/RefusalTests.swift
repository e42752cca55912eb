import Foundation
import Testing
import UpdraftCore
import UpdraftStore

/// Bad requests are refused with exit 2 and a message naming what is wrong (issue 8.6, 8.9, 8.13).
@Suite struct RefusalTests {
    @Test func cancellingAFinishedRunIsRefusedAndKeepsItsState() async throws {
        let cli = try BinaryHarness()
        #expect(try cli.run(["dags", "trigger", "bench_chain", "--conf", #"{"n": 2}"#, "--wait", "--parallelism", "1"]).status == 0)
        let store = try cli.store()
        let run = try #require(try await store.runs(RunQuery(dagId: "bench_chain")).first)
        let cancel = try cli.run(["runs", "cancel", run.runId])
        #expect(cancel.status == 2)
        #expect(cancel.stderr.contains("already ended success; nothing to cancel"))
        #expect(try await store.run(run.key)?.state == .success)
    }

    @Test func aBackfillBeforeTheStartDateOrIntoTheFutureIsRefused() async throws {
        let cli = try BinaryHarness()
        let early = try cli.run(["backfill", "create", "bench_daily", "--from", "2023-12-30", "--to", "2024-01-02"])
        #expect(early.status == 2)
        #expect(early.stderr.contains("starts before the DAG's start date 2024-01-01T00:00:00+00:00"))
        let future = try cli.run(["backfill", "create", "bench_daily", "--from", "2024-01-01", "--to", "2124-01-02"])
        #expect(future.status == 2)
        #expect(future.stderr.contains("reaches into the future"))
        await #expect(try cli.store().runs(RunQuery()).isEmpty)
        await #expect(try cli.store().backfills(dagId: nil, activeOnly: false).isEmpty)
    }

    @Test func confThatIsNotJSONIsAUsageError() async throws {
        let cli = try BinaryHarness()
        let result = try cli.run(["dags", "trigger", "bench_chain", "--conf", "{bad"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--conf"))
    }

    @Test func anEmptiedStateDatabaseIsRefusedNotStartedAnew() async throws {
        let cli = try BinaryHarness()
        #expect(try cli.run(["dags", "trigger", "bench_chain", "--conf", #"{"n": 1}"#, "--wait", "--parallelism", "1"]).status == 0)
        for suffix in ["", "-wal", "-shm"] { truncate(cli.home + "/updraft.db" + suffix, 0) }
        let list = try cli.run(["runs", "list"])
        #expect(list.status == 2)
        #expect(list.stderr.contains("updraft.db is empty (0 bytes)"))
        #expect(list.stderr.contains("restore it from a backup"))
        #expect(try FileManager.default.attributesOfItem(atPath: cli.home + "/updraft.db")[.size] as? Int == 0)
        try FileManager.default.removeItem(atPath: cli.home + "/updraft.db")
        #expect(try cli.run(["runs", "list"]).stderr.contains("updraft.db is missing"))
        try FileManager.default.removeItem(atPath: cli.home + "/.updraft-state-in-use")  // start over on purpose
        #expect(try cli.run(["runs", "list"]).status == 0)
    }
}

/// Issue 8.10: the home and what Updraft writes there are private by default.
@Suite struct HomePermissionTests {
    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func theHomeIs0700AndItsFiles0600() async throws {
        let cli = try BinaryHarness()
        let home = cli.home + "/fresh"
        let result = try cli.run([
            "dags", "trigger", "bench_chain", "--home", home, "--conf", #"{"n": 1}"#, "--wait",
            "--parallelism", "1",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try mode(home) == 0o700)
        #expect(try mode(home + "/updraft.db") == 0o600)
        #expect(try mode(home + "/logs") == 0o700)
        let logs = FileManager.default.enumerator(atPath: home + "/logs")?.allObjects as? [String] ?? []
        let log = try #require(logs.first { $0.hasSuffix(".log") })
        #expect(try mode(home + "/logs/" + log) == 0o600)
    }
}
