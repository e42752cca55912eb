import Foundation
import Logging
import ServiceLifecycle
import Testing
import UpdraftStore
import UpdraftTesting

@testable import UpdraftRuntime

/// Backfills as rows the scheduler drives (AIP-78): validation, the scheduler's limit and order,
/// reprocess behaviours, cancel and pause, crash safety and in-process driving.
@Suite struct BackfillTests {
    static let now = Date.utc(2024, 1, 10)

    /// A daily DAG, paused (so the scheduler makes no scheduled run of its own) and limited to one
    /// active run of its own: a backfill follows neither.
    static func daily(maxActiveRuns: Int = 1) -> DAG {
        DAG(
            "d", schedule: "@daily", startDate: .utc(2024, 1, 1), maxActiveRuns: maxActiveRuns,
            params: [.integer("n", default: 1)], isPausedAtCreation: true
        ) { d in d.task("t") { _ in } }
    }

    static func setUp(_ dags: [DAG] = [daily()]) async throws -> (DAGTestHarness, SchedulerService) {
        let harness = try await DAGTestHarness(dags: dags, clock: ManualClock(now: now))
        let scheduler = SchedulerService(engine: harness.engine, logger: Logger(label: "test")) { harness.executor }
        return (harness, scheduler)
    }

    static func key(_ day: Int, _ prefix: String = "backfill") -> RunKey {
        RunKey("d", "\(prefix)__\(RunIdentifier.timestamp(.utc(2024, 1, day)))")
    }

    /// Scheduler passes until the backfill completes, executing what the scheduler would claim;
    /// returns the most runs of the backfill that were queued or running at once.
    static func drive(_ id: Int64, _ harness: DAGTestHarness, _ scheduler: SchedulerService) async throws -> Int {
        var most = 0
        for _ in 0..<50 {
            try await scheduler.advanceBackfills()
            if try await harness.engine.backfill(id: id).completedAt != nil { return most }
            let active = try await harness.store.runs(RunQuery(states: [.queued, .running], backfillId: id))
            most = max(most, active.count)
            for run in try await scheduler.claimableRuns(excluding: []) { _ = try await harness.execute(run.key) }
        }
        Issue.record("backfill \(id) did not complete in 50 passes")
        return most
    }

    /// Ends a stored run `state` (its task skipped or succeeded) as of the harness's clock.
    static func endRun(_ day: Int, _ state: RunState, _ harness: DAGTestHarness) async throws {
        let interval = DataInterval(start: .utc(2024, 1, day), end: .utc(2024, 1, day + 1))
        let run = try await harness.engine.trigger(
            dagId: "d", logicalDate: interval.start, dataInterval: interval, runType: .scheduled,
            runId: key(day, "scheduled").runId)
        _ = try await harness.engine.markRun(run: run.key, state: state)
    }

    @Test func theSchedulerKeepsMaxActiveRunsInOrderAndCompletesTheBackfill() async throws {
        let (harness, scheduler) = try await Self.setUp()
        let backfill = try await harness.engine.createBackfill(
            dagId: "d", from: .utc(2024, 1, 1), to: .utc(2024, 1, 5), conf: ["n": 7], maxActiveRuns: 2, user: "ada")
        #expect(backfill.triggeringUserName == "ada" && backfill.completedAt == nil)
        try await scheduler.advanceBackfills()
        #expect(try await harness.store.runs(RunQuery(backfillId: backfill.id)).map(\.key) == [Self.key(2), Self.key(1)])
        // Both start although the DAG is paused and allows one active run of its own.
        #expect(try await scheduler.claimableRuns(excluding: []).count == 2)

        let most = try await Self.drive(backfill.id, harness, scheduler)
        #expect(most == 2)
        let runs = try await harness.store.runs(RunQuery(dagId: "d"))
        #expect(runs.map(\.key) == (1...5).reversed().map { Self.key($0) })
        #expect(runs.allSatisfy { $0.runType == .backfill && $0.triggeredBy == .backfill && $0.backfillId == backfill.id })
        #expect(runs.allSatisfy { $0.state == .success && $0.conf == ["n": 7] })
        #expect(runs.first?.dataInterval == DataInterval(start: .utc(2024, 1, 5), end: .utc(2024, 1, 6)))
        let done = try await harness.engine.backfill(id: backfill.id)
        #expect(done.completedAt == Self.now && !done.isPaused)
        #expect(
            try await harness.engine.backfillProgress(id: backfill.id)
                == BackfillProgress(intervals: 5, skipped: 0, created: 5, queued: 0, running: 0, succeeded: 5, failed: 0))
    }

    @Test func aBackfillRunningBackwardsStartsWithTheNewestDate() async throws {
        let (harness, scheduler) = try await Self.setUp()
        let backfill = try await harness.engine.createBackfill(
            dagId: "d", from: .utc(2024, 1, 1), to: .utc(2024, 1, 5), runBackwards: true, maxActiveRuns: 2)
        try await scheduler.advanceBackfills()
        #expect(try await harness.store.runs(RunQuery(backfillId: backfill.id)).map(\.key) == [Self.key(5), Self.key(4)])
    }

    /// A pass repeated after a crash (or by a second scheduler) creates no second run of a date.
    @Test func aRepeatedPassCreatesNoDuplicateRun() async throws {
        let (harness, scheduler) = try await Self.setUp()
        let backfill = try await harness.engine.createBackfill(
            dagId: "d", from: .utc(2024, 1, 1), to: .utc(2024, 1, 3), maxActiveRuns: 5)
        try await scheduler.advanceBackfills()
        try await scheduler.advanceBackfills()
        let second = try await harness.engine.advanceBackfill(id: backfill.id)
        #expect(second.started.isEmpty)
        #expect(try await harness.store.runs(RunQuery(dagId: "d")).count == 3)
        // The store refuses the same run id again, whatever writes it.
        await #expect(throws: StoreError.duplicateRun(Self.key(1))) {
            _ = try await harness.engine.trigger(dagId: "d", runType: .backfill, runId: Self.key(1).runId)
        }
    }

    /// 1 Jan succeeded and 2 Jan failed before the backfill; 3 Jan has no run; 4 Jan's run is queued.
    @Test(arguments: [ReprocessBehavior.none, .failed, .completed])
    func reprocessBehaviourDecidesWhichExistingRunsRunAgain(_ behaviour: ReprocessBehavior) async throws {
        let (harness, scheduler) = try await Self.setUp([Self.daily(maxActiveRuns: 16)])
        try await Self.endRun(1, .success, harness)
        try await Self.endRun(2, .failed, harness)
        let interval = DataInterval(start: .utc(2024, 1, 4), end: .utc(2024, 1, 5))
        _ = try await harness.engine.trigger(
            dagId: "d", logicalDate: interval.start, dataInterval: interval, runType: .scheduled,
            runId: Self.key(4, "scheduled").runId)
        let backfill = try await harness.engine.createBackfill(
            dagId: "d", from: .utc(2024, 1, 1), to: .utc(2024, 1, 4), reprocess: behaviour)
        try await scheduler.advanceBackfills()
        let rerun: Set<RunKey> =
            switch behaviour {
            case .none: []
            case .failed: [Self.key(2, "scheduled")]
            case .completed: [Self.key(1, "scheduled"), Self.key(2, "scheduled")]
            }
        let own = try await harness.store.runs(RunQuery(backfillId: backfill.id))
        #expect(Set(own.map(\.key)) == rerun.union([Self.key(3)]))
        #expect(own.allSatisfy { $0.state == .queued })
        // The queued run of 4 Jan is left alone (in flight), and no date gets a second run.
        #expect(try await harness.store.run(Self.key(4, "scheduled"))?.backfillId == nil)
        #expect(try await harness.store.runs(RunQuery(dagId: "d")).count == 4)
        let progress = try await harness.engine.backfillProgress(id: backfill.id)
        #expect(progress.skipped == 3 - rerun.count && progress.created == rerun.count + 1 && progress.total == rerun.count + 1)

        for run in own { _ = try await harness.execute(run.key) }
        try await scheduler.advanceBackfills()
        #expect(try await harness.engine.backfill(id: backfill.id).completedAt != nil)
        #expect(try await harness.store.run(Self.key(2, "scheduled"))?.state == (behaviour == .none ? .failed : .success))
        #expect(try await harness.store.runs(RunQuery(dagId: "d")).count == 4)
    }

    @Test func cancelFailsQueuedRunsAndLetsRunningOnesFinish() async throws {
        let (harness, scheduler) = try await Self.setUp()
        let engine = harness.engine
        let backfill = try await engine.createBackfill(dagId: "d", from: .utc(2024, 1, 1), to: .utc(2024, 1, 5), maxActiveRuns: 3)
        try await scheduler.advanceBackfills()
        // 1 Jan is running, owned by this (live) process.
        _ = try await harness.store.acquireLease(
            run: Self.key(1), owner: .current, now: Self.now, timeout: 30, isAlive: { _ in true })
        var running = try #require(try await harness.store.run(Self.key(1)))
        running.state = .running
        var batch = StateBatch()
        batch.runs = [running]
        try await harness.store.commit(batch)

        let cancelled = try await engine.cancelBackfill(id: backfill.id)
        #expect(cancelled.isPaused && cancelled.completedAt == Self.now)
        #expect(try await harness.store.run(Self.key(1))?.state == .running)
        #expect(try await harness.store.run(Self.key(2))?.state == .failed)
        #expect(try await harness.store.run(Self.key(3))?.state == .failed)
        try await scheduler.advanceBackfills()
        #expect(try await harness.store.runs(RunQuery(dagId: "d")).count == 3)
        await #expect(throws: BackfillError.alreadyCompleted(backfill.id)) { try await engine.cancelBackfill(id: backfill.id) }
        await #expect(throws: BackfillError.alreadyCompleted(backfill.id)) {
            try await engine.setBackfillPaused(id: backfill.id, false)
        }
        await #expect(throws: BackfillError.unknownBackfill(99)) { try await engine.cancelBackfill(id: 99) }
    }

    @Test func aPausedBackfillCreatesAndStartsNothingUntilUnpaused() async throws {
        let (harness, scheduler) = try await Self.setUp()
        let engine = harness.engine
        let backfill = try await engine.createBackfill(dagId: "d", from: .utc(2024, 1, 1), to: .utc(2024, 1, 3), maxActiveRuns: 1)
        try await scheduler.advanceBackfills()
        #expect(try await engine.setBackfillPaused(id: backfill.id, true).isPaused)
        #expect(try await scheduler.claimableRuns(excluding: []).isEmpty)
        _ = try await harness.execute(Self.key(1))  // as if it had been running already
        try await scheduler.advanceBackfills()
        #expect(try await harness.store.runs(RunQuery(dagId: "d")).count == 1)
        try await engine.setBackfillPaused(id: backfill.id, false)
        #expect(try await Self.drive(backfill.id, harness, scheduler) == 1)
        #expect(try await engine.backfillProgress(id: backfill.id).succeeded == 3)
    }

    @Test func confIsCheckedAgainstTheDAGsParamsAsForATrigger() async throws {
        let (harness, _) = try await Self.setUp()
        let engine = harness.engine
        await #expect(throws: ConfError(message: "DAG 'd': unknown conf key 'm' (params: n)")) {
            try await engine.createBackfill(dagId: "d", from: .utc(2024, 1, 1), to: .utc(2024, 1, 2), conf: ["m": 1])
        }
        do {
            _ = try await engine.createBackfill(dagId: "d", from: .utc(2024, 1, 1), to: .utc(2024, 1, 2), conf: ["n": "x"])
            Issue.record("a string for an integer param was accepted")
        } catch let error as ConfError {
            #expect(error.description.contains("conf key 'n' must be integer"))
        }
        #expect(try await harness.store.backfills(dagId: nil, activeOnly: false).isEmpty)
    }

    @Test func badRequestsAndASecondActiveBackfillAreRefused() async throws {
        let (harness, _) = try await Self.setUp([Self.daily(), DAG("manual_only") { d in d.task("t") { _ in } }])
        let engine = harness.engine
        func refusal(_ body: () async throws -> BackfillRecord) async -> String {
            do {
                _ = try await body()
                return "accepted"
            } catch { return "\(error)" }
        }
        #expect(
            await refusal { try await engine.createBackfill(dagId: "manual_only", from: .utc(2024, 1, 1), to: .utc(2024, 1, 2)) }
                .contains("has no cron schedule"))
        #expect(
            await refusal { try await engine.createBackfill(dagId: "d", from: .utc(2024, 1, 3), to: .utc(2024, 1, 2)) }
                .contains("is after to"))
        #expect(
            await refusal { try await engine.createBackfill(dagId: "d", from: .utc(2023, 12, 1), to: .utc(2024, 1, 2)) }
                .contains("starts before the DAG's start date 2024-01-01T00:00:00+00:00"))
        #expect(
            await refusal { try await engine.createBackfill(dagId: "d", from: .utc(2024, 1, 1), to: .utc(2024, 2, 2)) }
                .contains("reaches into the future"))
        #expect(
            await refusal {
                try await engine.createBackfill(dagId: "d", from: .utc(2024, 1, 1), to: .utc(2024, 1, 2), maxActiveRuns: 0)
            }.contains("max_active_runs must be at least 1"))
        #expect(
            await refusal { try await engine.createBackfill(dagId: "d", from: .utc(2024, 1, 1, 1), to: .utc(2024, 1, 1, 2)) }
                .contains("no data interval"))
        #expect(
            await refusal { try await engine.createBackfill(dagId: "nope", from: .utc(2024, 1, 1), to: .utc(2024, 1, 2)) }
                == "no DAG with id 'nope'")
        let first = try await engine.createBackfill(dagId: "d", from: .utc(2024, 1, 1), to: .utc(2024, 1, 2))
        await #expect(throws: BackfillError.alreadyRunning(dagId: "d", backfillId: first.id)) {
            try await engine.createBackfill(dagId: "d", from: .utc(2024, 1, 3), to: .utc(2024, 1, 4))
        }
        #expect(
            BackfillError.alreadyRunning(dagId: "d", backfillId: first.id).description
                .hasPrefix("There is already a running backfill for dag d"))
    }

    /// What `backfill create --wait` does with no scheduler: this process creates and executes the runs.
    @Test func runBackfillDrivesItToCompletionInProcess() async throws {
        let (harness, _) = try await Self.setUp()
        let backfill = try await harness.engine.createBackfill(
            dagId: "d", from: .utc(2024, 1, 1), to: .utc(2024, 1, 4), maxActiveRuns: 2)
        let done = try await harness.engine.runBackfill(id: backfill.id, executor: harness.executor)
        #expect(done?.completedAt != nil)
        #expect(try await harness.engine.backfillProgress(id: backfill.id).succeeded == 4)
        #expect(try await harness.store.runs(RunQuery(dagId: "d")).count == 4)
    }

    /// The scheduler's own loop: every run's end wakes a pass that queues the next, until the
    /// backfill completes (no clock moves: the runs' ends are the events).
    @Test func theSchedulerServiceDrivesABackfillToCompletion() async throws {
        let (harness, scheduler) = try await Self.setUp()
        let backfill = try await harness.engine.createBackfill(
            dagId: "d", from: .utc(2024, 1, 1), to: .utc(2024, 1, 6), maxActiveRuns: 2)
        var logger = Logger(label: "test.scheduler")
        logger.logLevel = .critical
        let group = ServiceGroup(configuration: .init(services: [scheduler], gracefulShutdownSignals: [], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(
                try await SchedulerStoreFailureTests().eventually { try await harness.engine.backfill(id: backfill.id).completedAt != nil })
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try await harness.engine.backfillProgress(id: backfill.id).succeeded == 6)
    }

    /// A logical date keeps one non-manual run: the scheduler's catchup does not add a scheduled
    /// run for a date a backfill already ran (but moves past it).
    @Test func catchupSkipsDatesABackfillAlreadyRan() async throws {
        let dag = DAG("d", schedule: "@daily", startDate: .utc(2024, 1, 1), catchup: true) { d in d.task("t") { _ in } }
        let (harness, scheduler) = try await Self.setUp([dag])
        try await harness.store.setPaused("d", true)
        let backfill = try await harness.engine.createBackfill(dagId: "d", from: .utc(2024, 1, 1), to: .utc(2024, 1, 2))
        _ = try await harness.engine.runBackfill(id: backfill.id, executor: harness.executor)
        try await harness.store.setPaused("d", false)
        _ = try await scheduler.createDueRuns()
        let runs = try await harness.store.runs(RunQuery(dagId: "d"))
        #expect(Dictionary(grouping: runs, by: \.logicalDate).values.allSatisfy { $0.count == 1 })
        #expect(runs.filter { $0.runType == .scheduled }.first?.logicalDate == .utc(2024, 1, 9))
        #expect(runs.filter { $0.runType == .scheduled }.last?.logicalDate == .utc(2024, 1, 3))
    }
}
