import Foundation
import Testing
import UpdraftCore
import UpdraftStore

/// `updraft backfill create|list|pause|unpause|cancel` through the binary.
@Suite struct BackfillCLITests {
    @Test func createListPauseAndCancelThroughTheBinary() async throws {
        let cli = try BinaryHarness()
        let create = try cli.run([
            "backfill", "create", "bench_daily", "--from", "2024-01-01", "--to", "2024-01-05", "--max-active-runs", "2",
        ])
        #expect(create.status == 0, "\(create.stderr)")
        #expect(create.stdout == "1\n")
        #expect(create.stderr.contains("no scheduler is running, so nothing creates or runs its runs"))
        let again = try cli.run(["backfill", "create", "bench_daily", "--from", "2024-01-06", "--to", "2024-01-07"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("There is already a running backfill for dag bench_daily (backfill 1)"))

        let list = try cli.run(["backfill", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        let row = try #require(list.stdout.split(separator: "\n").dropFirst().first)
        #expect(
            row.split(separator: " ", omittingEmptySubsequences: true).prefix(6).joined(separator: " ")
                == "1 bench_daily 2024-01-01T00:00:00+00:00 2024-01-05T00:00:00+00:00 running 0/5")
        #expect(try cli.run(["backfill", "pause", "1"]).stdout == "backfill 1 of bench_daily paused\n")
        #expect(try cli.run(["backfill", "list", "--dag", "bench_daily"]).stdout.contains(" paused "))
        #expect(try cli.run(["backfill", "list", "--dag", "other"]).stdout.split(separator: "\n").count == 1)

        let json = try cli.run(["backfill", "list", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows.first?["id"] as? Int == 1 && rows.first?["state"] as? String == "paused")
        #expect(rows.first?["max_active_runs"] as? Int == 2 && rows.first?["reprocess_behavior"] as? String == "none")
        #expect((rows.first?["progress"] as? [String: Any])?["total"] as? Int == 5)

        let cancel = try cli.run(["backfill", "cancel", "1"])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        #expect(cancel.stdout.contains("backfill 1 of bench_daily cancelled"))
        #expect(try cli.run(["backfill", "list"]).stdout.contains(" cancelled "))
        let twice = try cli.run(["backfill", "cancel", "1"])
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("backfill 1 is already completed"))
        let unknown = try cli.run(["backfill", "cancel", "7"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no backfill with id 7"))
    }

    @Test func badRequestsAreRefusedWithTheirReason() async throws {
        let cli = try BinaryHarness()
        let conf = try cli.run([
            "backfill", "create", "bench_daily", "--from", "2024-01-01", "--to", "2024-01-02", "--conf", #"{"nope": 1}"#,
        ])
        #expect(conf.status == 2)
        #expect(conf.stderr.contains("unknown conf key 'nope'"))
        let behaviour = try cli.run([
            "backfill", "create", "bench_daily", "--from", "2024-01-01", "--to", "2024-01-02", "--reprocess-behavior", "all",
        ])
        #expect(behaviour.status == 2)
        #expect(behaviour.stderr.contains("--reprocess-behavior must be none, failed or completed, got 'all'"))
        await #expect(try cli.store().backfills(dagId: nil, activeOnly: false).isEmpty)
    }

    /// With no scheduler alive, `--wait` drives the backfill here to completion.
    @Test func waitWithNoSchedulerDrivesTheBackfillHere() async throws {
        let cli = try BinaryHarness()
        let result = try cli.run([
            "backfill", "create", "bench_daily", "--from", "2024-01-01", "--to", "2024-01-03", "--max-active-runs", "2",
            "--run-backwards", "--wait", "--parallelism", "1",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("backfill 1 of bench_daily completed: 3 run(s): 3 success, 0 failed"))
        let store = try cli.store()
        let runs = try await store.runs(RunQuery(dagId: "bench_daily"))
        #expect(runs.count == 3)
        #expect(runs.allSatisfy { $0.state == .success && $0.backfillId == 1 && $0.runType == .backfill })
        #expect(try await store.backfill(id: 1)?.completedAt != nil)
        let row = try #require(try cli.run(["backfill", "list"]).stdout.split(separator: "\n").dropFirst().first)
        #expect(row.split(separator: " ").dropFirst(4).prefix(3) == ["completed", "3/3", "3"])
    }

    /// With a live scheduler, `create` wakes it and `--wait` follows it: the scheduler creates
    /// and executes the runs.
    @Test(.timeLimit(.minutes(5))) func waitFollowsALiveSchedulerThatDrivesTheBackfill() async throws {
        let cli = try BinaryHarness()
        let store = try cli.store()
        let (scheduler, _, err) = try cli.start(["scheduler", "--parallelism", "2"])
        defer { if scheduler.isRunning { kill(scheduler.processIdentifier, SIGKILL) } }
        #expect(try await BinaryHarness.waitUntil(while: scheduler) { try await !store.schedulers().isEmpty })
        let result = try cli.run([
            "backfill", "create", "bench_daily", "--from", "2024-01-01", "--to", "2024-01-03", "--max-active-runs", "1", "--wait",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("completed: 3 run(s): 3 success, 0 failed"))
        kill(scheduler.processIdentifier, SIGTERM)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        scheduler.waitUntilExit()
        #expect(log.contains("queued backfill run"))
        #expect(log.contains("backfill completed"))
    }
}
