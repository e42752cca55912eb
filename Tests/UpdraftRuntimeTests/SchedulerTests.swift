import Foundation
import Logging
import Testing
import UpdraftStore
import UpdraftTesting

@testable import UpdraftRuntime

/// The scheduler's decisions: due runs, catchup, maxActiveRuns, pause, and takeover of dead owners.
@Suite struct SchedulerTests {
    static func daily(_ id: String, catchup: Bool, maxActiveRuns: Int = 16, paused: Bool = false) -> DAG {
        DAG(
            id, schedule: "@daily", startDate: .utc(2024, 1, 1), catchup: catchup, maxActiveRuns: maxActiveRuns,
            isPausedAtCreation: paused
        ) { d in d.task("t") { _ in } }
    }

    static func scheduler(_ dags: [DAG], now: Date) async throws -> (SchedulerService, MemoryStateStore) {
        let harness = try await DAGTestHarness(dags: dags, clock: ManualClock(now: now))
        let service = SchedulerService(engine: harness.engine, logger: Logger(label: "test")) { harness.executor }
        return (service, harness.store)
    }

    @Test func withoutCatchupOnlyTheLatestIntervalRuns() async throws {
        let (scheduler, store) = try await Self.scheduler([Self.daily("d", catchup: false)], now: .utc(2024, 1, 5, 12))
        let next = try await scheduler.createDueRuns()
        let runs = try await store.runs(RunQuery(dagId: "d"))
        #expect(runs.map(\.runId) == ["scheduled__2024-01-04T00:00:00+00:00"])
        #expect(runs.first?.dataInterval == DataInterval(start: .utc(2024, 1, 4), end: .utc(2024, 1, 5)))
        #expect(runs.first?.runType == .scheduled)
        #expect(next == .utc(2024, 1, 6))
        #expect(try await scheduler.createDueRuns() == .utc(2024, 1, 6))
        #expect(try await store.runs(RunQuery(dagId: "d")).count == 1)
    }

    @Test func catchupCreatesMissedRunsUpToMaxActiveRuns() async throws {
        let (scheduler, store) = try await Self.scheduler([Self.daily("d", catchup: true, maxActiveRuns: 2)], now: .utc(2024, 1, 5, 12))
        _ = try await scheduler.createDueRuns()
        #expect(try await store.runs(RunQuery(dagId: "d")).map(\.logicalDate) == [.utc(2024, 1, 2), .utc(2024, 1, 1)])
        #expect(try await scheduler.claimableRuns(excluding: []).count == 2)
    }

    @Test func pausedDAGsGetNoRuns() async throws {
        let (scheduler, store) = try await Self.scheduler([Self.daily("d", catchup: true, paused: true)], now: .utc(2024, 1, 5))
        _ = try await scheduler.createDueRuns()
        #expect(try await store.runs(RunQuery()).isEmpty)
    }

    /// A scheduler over a daily DAG whose due run is stored as `running` (as if some owner had it).
    static func runningScheduledRun() async throws -> (SchedulerService, MemoryStateStore, DAGRun) {
        let (scheduler, store) = try await Self.scheduler([Self.daily("d", catchup: false)], now: .utc(2024, 1, 5, 12))
        _ = try await scheduler.createDueRuns()
        var run = try #require(try await store.runs(RunQuery()).first)
        run.state = .running
        var batch = StateBatch()
        batch.runs = [run]
        try await store.commit(batch)
        return (scheduler, store, run)
    }

    @Test func runsOfDeadOwnersAreTakenOverAtOnce() async throws {
        let (scheduler, store, run) = try await Self.runningScheduledRun()
        let dead = ProcessIdentity(pid: 999_999, startTime: 1, host: ProcessIdentity.hostName)
        _ = try await store.acquireLease(run: run.key, owner: dead, now: .utc(2024, 1, 5), timeout: 30, isAlive: { _ in false })
        #expect(!dead.isAlive)
        #expect(try await scheduler.claimableRuns(excluding: []).map(\.runId) == [run.runId])
        let live = ProcessIdentity(pid: 1, startTime: 0, host: "another-host")  // another host: its heartbeat is trusted
        _ = try await store.acquireLease(run: run.key, owner: live, now: .utc(2024, 1, 5, 12), timeout: 30, isAlive: { _ in false })
        #expect(try await scheduler.claimableRuns(excluding: []).isEmpty)
    }

    /// A lease whose heartbeat expired is claimable although its owner (on another host) may live.
    @Test func runsWhoseLeaseHeartbeatExpiredAreTakenOver() async throws {
        let (scheduler, store, run) = try await Self.runningScheduledRun()
        let elsewhere = ProcessIdentity(pid: 1, startTime: 0, host: "another-host")
        _ = try await store.acquireLease(
            run: run.key, owner: elsewhere, now: .utc(2024, 1, 5, 11, 59), timeout: 30,
            isAlive: { _ in true })
        #expect(try await scheduler.claimableRuns(excluding: []).map(\.runId) == [run.runId])
    }

    /// Issue 8.1: run ids repeat across DAGs (`scheduled__<ts>`); each DAG gets its own run.
    @Test func twoDAGsOnTheSameScheduleBothGetTheirRunEveryInterval() async throws {
        let (scheduler, store) = try await Self.scheduler(
            [
                Self.daily("bench_daily", catchup: true),
                Self.daily("get_symbols", catchup: true),
            ], now: .utc(2024, 1, 4, 12))
        _ = try await scheduler.createDueRuns()
        for dag in ["bench_daily", "get_symbols"] {
            #expect(
                try await store.runs(RunQuery(dagId: dag)).map(\.runId).sorted()
                    == [
                        "scheduled__2024-01-01T00:00:00+00:00", "scheduled__2024-01-02T00:00:00+00:00",
                        "scheduled__2024-01-03T00:00:00+00:00",
                    ])
        }
    }

    /// Issue 8.5: where a DAG stands is kept on its row, so `db clean` does not bring intervals back.
    @Test func deletedRunsAreNotScheduledAgain() async throws {
        let (scheduler, store) = try await Self.scheduler([Self.daily("d", catchup: false)], now: .utc(2024, 1, 5, 12))
        _ = try await scheduler.createDueRuns()
        var run = try #require(try await store.runs(RunQuery(dagId: "d")).first)
        run.state = .success
        run.endDate = .utc(2024, 1, 5, 12)
        var batch = StateBatch()
        batch.runs = [run]
        try await store.commit(batch)
        #expect(try await store.deleteRuns(endedBefore: .utc(2025, 1, 1)).map(\.runId) == [run.runId])
        #expect(try await scheduler.createDueRuns() == .utc(2024, 1, 6))
        #expect(try await store.runs(RunQuery(dagId: "d")).isEmpty)
    }

    /// A run waiting out a retry delay is not claimed; one whose lease this process still holds
    /// (a store error ended its execution) is claimed again once the delay passed.
    @Test func runsInRetryDelayWaitAndOwnStaleLeasesAreReclaimed() async throws {
        let (scheduler, store) = try await Self.scheduler([Self.daily("d", catchup: false)], now: .utc(2024, 1, 5, 12))
        _ = try await scheduler.createDueRuns()
        let run = try #require(try await store.runs(RunQuery()).first)
        _ = try await store.acquireLease(run: run.key, owner: .current, now: .utc(2024, 1, 5), timeout: 30, isAlive: { _ in true })
        var retries = RetryBook()
        retries.record(run.key, until: .utc(2024, 1, 5, 12).addingTimeInterval(1))
        #expect(try await scheduler.claimableRuns(excluding: [], retries: retries, now: .utc(2024, 1, 5, 12)).isEmpty)
        #expect(
            try await scheduler.claimableRuns(excluding: [], retries: retries, now: .utc(2024, 1, 5, 12).addingTimeInterval(1)).map(\.key)
                == [run.key])
        #expect(try await scheduler.claimableRuns(excluding: [run.key], retries: retries, now: .utc(2024, 1, 5, 13)).isEmpty)
    }
}
