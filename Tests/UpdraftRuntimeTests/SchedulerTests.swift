import Foundation
import Logging
import Testing
@testable import UpdraftRuntime
import UpdraftStore
import UpdraftTesting

/// The scheduler's decisions: due runs, catchup, maxActiveRuns, pause, and takeover of dead owners.
@Suite struct SchedulerTests {
    static func daily(_ id: String, catchup: Bool, maxActiveRuns: Int = 16, paused: Bool = false) -> DAG {
        DAG(id, schedule: "@daily", startDate: .utc(2024, 1, 1), catchup: catchup, maxActiveRuns: maxActiveRuns,
            isPausedAtCreation: paused) { d in d.task("t") { _ in } }
    }

    static func scheduler(_ dags: [DAG], now: Date) throws -> (SchedulerService, MemoryStateStore) {
        let harness = try DAGTestHarness(dags: dags, clock: ManualClock(now: now))
        let service = SchedulerService(engine: harness.engine, logger: Logger(label: "test")) { harness.executor }
        return (service, harness.store)
    }

    @Test func withoutCatchupOnlyTheLatestIntervalRuns() throws {
        let (scheduler, store) = try Self.scheduler([Self.daily("d", catchup: false)], now: .utc(2024, 1, 5, 12))
        let next = try scheduler.createDueRuns()
        let runs = try store.runs(RunQuery(dagId: "d"))
        #expect(runs.map(\.runId) == ["scheduled__2024-01-04T00:00:00+00:00"])
        #expect(runs.first?.dataInterval == DataInterval(start: .utc(2024, 1, 4), end: .utc(2024, 1, 5)))
        #expect(runs.first?.runType == .scheduled)
        #expect(next == .utc(2024, 1, 6))
        #expect(try scheduler.createDueRuns() == .utc(2024, 1, 6))
        #expect(try store.runs(RunQuery(dagId: "d")).count == 1)
    }

    @Test func catchupCreatesMissedRunsUpToMaxActiveRuns() throws {
        let (scheduler, store) = try Self.scheduler([Self.daily("d", catchup: true, maxActiveRuns: 2)], now: .utc(2024, 1, 5, 12))
        _ = try scheduler.createDueRuns()
        #expect(try store.runs(RunQuery(dagId: "d")).map(\.logicalDate) == [.utc(2024, 1, 2), .utc(2024, 1, 1)])
        #expect(try scheduler.claimableRuns(excluding: []).count == 2)
    }

    @Test func pausedDAGsGetNoRuns() throws {
        let (scheduler, store) = try Self.scheduler([Self.daily("d", catchup: true, paused: true)], now: .utc(2024, 1, 5))
        _ = try scheduler.createDueRuns()
        #expect(try store.runs(RunQuery()).isEmpty)
    }

    @Test func runsOfDeadOwnersAreTakenOverAtOnce() throws {
        let (scheduler, store) = try Self.scheduler([Self.daily("d", catchup: false)], now: .utc(2024, 1, 5, 12))
        _ = try scheduler.createDueRuns()
        var run = try #require(try store.runs(RunQuery()).first)
        run.state = .running
        var batch = StateBatch()
        batch.runs = [run]
        try store.commit(batch)
        let dead = ProcessIdentity(pid: 999_999, startTime: 1, host: ProcessIdentity.hostName)
        _ = try store.acquireLease(run: run.key, owner: dead, now: .utc(2024, 1, 5), isAlive: { _ in false })
        #expect(!dead.isAlive)
        #expect(try scheduler.claimableRuns(excluding: []).map(\.runId) == [run.runId])
        let live = ProcessIdentity(pid: 1, startTime: 0, host: "another-host")   // another host: its lease is trusted
        _ = try store.acquireLease(run: run.key, owner: live, now: .utc(2024, 1, 5), isAlive: { _ in false })
        #expect(try scheduler.claimableRuns(excluding: []).isEmpty)
    }

    /// Issue 8.1: run ids repeat across DAGs (`scheduled__<ts>`); each DAG gets its own run.
    @Test func twoDAGsOnTheSameScheduleBothGetTheirRunEveryInterval() throws {
        let (scheduler, store) = try Self.scheduler([Self.daily("bench_daily", catchup: true),
                                                     Self.daily("get_symbols", catchup: true)], now: .utc(2024, 1, 4, 12))
        _ = try scheduler.createDueRuns()
        for dag in ["bench_daily", "get_symbols"] {
            #expect(try store.runs(RunQuery(dagId: dag)).map(\.runId).sorted()
                    == ["scheduled__2024-01-01T00:00:00+00:00", "scheduled__2024-01-02T00:00:00+00:00",
                        "scheduled__2024-01-03T00:00:00+00:00"])
        }
    }

    /// Issue 8.5: where a DAG stands is kept on its row, so `db clean` does not bring intervals back.
    @Test func deletedRunsAreNotScheduledAgain() throws {
        let (scheduler, store) = try Self.scheduler([Self.daily("d", catchup: false)], now: .utc(2024, 1, 5, 12))
        _ = try scheduler.createDueRuns()
        var run = try #require(try store.runs(RunQuery(dagId: "d")).first)
        run.state = .success
        run.endDate = .utc(2024, 1, 5, 12)
        var batch = StateBatch()
        batch.runs = [run]
        try store.commit(batch)
        #expect(try store.deleteRuns(endedBefore: .utc(2025, 1, 1)).map(\.runId) == [run.runId])
        #expect(try scheduler.createDueRuns() == .utc(2024, 1, 6))
        #expect(try store.runs(RunQuery(dagId: "d")).isEmpty)
    }

    /// A run waiting out a retry delay is not claimed; one whose lease this process still holds
    /// (a store error ended its execution) is claimed again once the delay passed.
    @Test func runsInRetryDelayWaitAndOwnStaleLeasesAreReclaimed() throws {
        let (scheduler, store) = try Self.scheduler([Self.daily("d", catchup: false)], now: .utc(2024, 1, 5, 12))
        _ = try scheduler.createDueRuns()
        let run = try #require(try store.runs(RunQuery()).first)
        _ = try store.acquireLease(run: run.key, owner: .current, now: .utc(2024, 1, 5), isAlive: { _ in true })
        var retries = RetryBook()
        retries.record(run.key, until: .utc(2024, 1, 5, 12).addingTimeInterval(1))
        #expect(try scheduler.claimableRuns(excluding: [], retries: retries, now: .utc(2024, 1, 5, 12)).isEmpty)
        #expect(try scheduler.claimableRuns(excluding: [], retries: retries, now: .utc(2024, 1, 5, 12).addingTimeInterval(1)).map(\.key) == [run.key])
        #expect(try scheduler.claimableRuns(excluding: [run.key], retries: retries, now: .utc(2024, 1, 5, 13)).isEmpty)
    }
}
