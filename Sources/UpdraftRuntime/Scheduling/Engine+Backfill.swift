import Foundation
import UpdraftCore
import UpdraftStore

/// What one pass over a backfill did.
public struct BackfillPass: Sendable {
    /// The backfill after the pass (`completedAt` is set once every interval's run ended).
    public var backfill: BackfillRecord
    /// Runs the pass created, or cleared to run again, in the backfill's order.
    public var started: [RunKey]
}

extension Engine {
    /// Records a backfill of `dagId` over the logical dates `[from, to]`; the scheduler (or
    /// ``runBackfill(id:executor:shutdown:)``) then creates and executes its runs.
    ///
    /// Refused (``BackfillError``) when the DAG has no cron schedule, the range is empty, reversed,
    /// starts before the DAG's start date or reaches into the future, `maxActiveRuns` is below 1,
    /// or the DAG already has an active backfill (`alreadyRunning`, Airflow's 409). A `conf` that
    /// does not fit the DAG's params throws the `ConfError` a trigger throws.
    ///
    /// ```swift
    /// let backfill = try await engine.createBackfill(
    ///     dagId: "etl", from: .utc(2024, 1, 1), to: .utc(2024, 1, 31), reprocess: .failed, maxActiveRuns: 4)
    /// ```
    public func createBackfill(
        dagId: String, from: Date, to: Date, runBackwards: Bool = false, conf: [String: JSONValue] = [:],
        reprocess: ReprocessBehavior = .none, maxActiveRuns: Int = BackfillRecord.defaultMaxActiveRuns,
        user: String? = nil
    ) async throws -> BackfillRecord {
        let dag = try registry.dag(dagId)
        guard case .cron = dag.schedule else {
            throw BackfillError.invalid("DAG '\(dagId)' has no cron schedule (\(dag.schedule)); nothing to backfill")
        }
        guard from <= to else {
            throw BackfillError.invalid(
                "backfill of '\(dagId)': from \(RunIdentifier.timestamp(from)) is after to \(RunIdentifier.timestamp(to))")
        }
        if from < dag.startDate {
            throw BackfillError.invalid(
                "backfill of '\(dagId)' from \(RunIdentifier.timestamp(from)) starts before the "
                    + "DAG's start date \(RunIdentifier.timestamp(dag.startDate))")
        }
        let now = clock.now
        if to > now {
            throw BackfillError.invalid(
                "backfill of '\(dagId)' to \(RunIdentifier.timestamp(to)) reaches into the future "
                    + "(now is \(RunIdentifier.timestamp(now)))")
        }
        guard maxActiveRuns >= 1 else {
            throw BackfillError.invalid("backfill of '\(dagId)': max_active_runs must be at least 1, got \(maxActiveRuns)")
        }
        _ = try dag.resolveParams(conf)
        if dag.schedule.dataIntervals(from: from, to: to).isEmpty {
            throw BackfillError.invalid(
                "backfill of '\(dagId)': no data interval of its schedule (\(dag.schedule)) has a logical date "
                    + "from \(RunIdentifier.timestamp(from)) to \(RunIdentifier.timestamp(to))")
        }
        if let active = try await store.backfills(dagId: dagId, activeOnly: true).first {
            throw BackfillError.alreadyRunning(dagId: dagId, backfillId: active.id)
        }
        do {
            return try await store.createBackfill(
                BackfillRecord(
                    dagId: dagId, fromDate: from, toDate: to, runBackwards: runBackwards, dagRunConf: conf,
                    reprocessBehavior: reprocess, maxActiveRuns: maxActiveRuns, createdAt: now,
                    triggeringUserName: user))
        } catch StoreError.activeBackfill(let dagId, let id) {
            throw BackfillError.alreadyRunning(dagId: dagId, backfillId: id)  // created meanwhile by another process
        }
    }

    /// The stored backfill; throws `unknownBackfill` when there is none with this id.
    public func backfill(id: Int64) async throws -> BackfillRecord {
        guard let backfill = try await store.backfill(id: id) else { throw BackfillError.unknownBackfill(id) }
        return backfill
    }

    /// What the backfill does with each interval now, from the runs stored for its range.
    public func backfillPlan(_ backfill: BackfillRecord) async throws -> BackfillPlan {
        guard let dag = registry.dags[backfill.dagId], backfill.fromDate <= backfill.toDate else {
            // A DAG gone from the registry: its own runs are still counted, with no interval left to create.
            let runs = try await store.runs(RunQuery(dagId: backfill.dagId, backfillId: backfill.id))
            return BackfillPlan(backfill: backfill, intervals: runs.map(\.dataInterval).reversed(), runs: runs)
        }
        let runs = try await store.runs(RunQuery(dagId: backfill.dagId, logicalDates: backfill.fromDate...backfill.toDate))
        return BackfillPlan(
            backfill: backfill, intervals: dag.schedule.dataIntervals(from: backfill.fromDate, to: backfill.toDate),
            runs: runs)
    }

    /// Where the backfill stands: intervals, skipped, created, queued, running, succeeded, failed.
    public func backfillProgress(id: Int64) async throws -> BackfillProgress {
        try await backfillPlan(backfill(id: id)).progress
    }

    /// One pass over an active, unpaused backfill: creates (or clears, per its reprocess
    /// behaviour) the next runs in its order so that at most `maxActiveRuns` of its runs are
    /// queued or running, and sets `completedAt` once every interval's run ended.
    ///
    /// Safe to repeat after a crash: a run's id is `backfill__<logical date>` and the store
    /// refuses a second run with that id; a re-run tags the run with the backfill in the commit
    /// that clears it, so the next pass sees it as the backfill's own.
    @discardableResult
    public func advanceBackfill(id: Int64) async throws -> BackfillPass {
        var backfill = try await backfill(id: id)
        guard backfill.isActive, !backfill.isPaused, registry.dags[backfill.dagId] != nil else {
            return BackfillPass(backfill: backfill, started: [])
        }
        let plan = try await backfillPlan(backfill)
        var active = plan.activeRuns
        var started: [RunKey] = []
        for step in plan.steps where active < backfill.maxActiveRuns {
            switch step.action {
            case .own, .skip: continue
            case .create:
                let key = RunKey(backfill.dagId, "backfill__\(RunIdentifier.timestamp(step.interval.start))")
                do {
                    _ = try await trigger(
                        dagId: backfill.dagId, conf: backfill.dagRunConf, logicalDate: step.interval.start,
                        dataInterval: step.interval, runType: .backfill, triggeredBy: .backfill, runId: key.runId,
                        backfillId: backfill.id)
                    started.append(key)
                } catch StoreError.duplicateRun {
                    // Another pass (another process) created it since this one read the runs.
                }
            case .rerun(let run):
                let ids = try await store.taskInstances(run: run.key).map(\.taskId)
                let cleared = try await clear(
                    run: run.key, taskIds: ids, downstream: false, upstream: false, failedOnly: false,
                    backfillId: backfill.id)
                if !cleared.isEmpty { started.append(run.key) }
            }
            active += 1
        }
        if started.isEmpty, plan.isFinished {
            backfill.completedAt = clock.now
            backfill.updatedAt = clock.now
            try await store.updateBackfill(backfill)
        }
        return BackfillPass(backfill: backfill, started: started)
    }

    /// Cancels an active backfill (Airflow's cancel): it is paused and completed at once, no run
    /// is created any more, and its queued runs end failed; runs already running finish.
    /// A completed backfill is refused (`alreadyCompleted`).
    @discardableResult
    public func cancelBackfill(id: Int64) async throws -> BackfillRecord {
        var backfill = try await backfill(id: id)
        guard backfill.isActive else { throw BackfillError.alreadyCompleted(id) }
        let now = clock.now
        backfill.isPaused = true
        backfill.completedAt = now
        backfill.updatedAt = now
        try await store.updateBackfill(backfill)
        for run in try await store.runs(RunQuery(dagId: backfill.dagId, states: [.queued], backfillId: id)) {
            // A run some process took meanwhile is running: it finishes, as running runs do.
            if try await liveOwner(of: run.key) != nil { continue }
            do { _ = try await markRun(run: run.key, state: .failed) } catch RuntimeError.runOwned {}
        }
        return backfill
    }

    /// Pauses (no run is created or started; running runs finish) or resumes an active backfill.
    @discardableResult
    public func setBackfillPaused(id: Int64, _ paused: Bool) async throws -> BackfillRecord {
        var backfill = try await backfill(id: id)
        guard backfill.isActive else { throw BackfillError.alreadyCompleted(id) }
        guard backfill.isPaused != paused else { return backfill }
        backfill.isPaused = paused
        backfill.updatedAt = clock.now
        try await store.updateBackfill(backfill)
        return backfill
    }
}
