import Foundation
import UpdraftCore
import UpdraftStore

/// What a backfill does with each of its data intervals, given the runs stored for them: a pure
/// value, computed again at every pass (the backfill keeps no per-interval ledger).
///
/// The run of a logical date is the backfill's own run, else the newest other run. Another run
/// is re-run only when it had ended before the backfill was created and the reprocess behaviour
/// asks for it; a run queued or running then, or created since, is left alone (Airflow: "if the
/// latest run is still running or is queued, we do not create another run").
///
/// ```swift
/// let plan = BackfillPlan(backfill: record, intervals: dag.schedule.dataIntervals(from: a, to: b), runs: runs)
/// for step in plan.steps { if case .create(let interval) = step.action { … } }
/// ```
public struct BackfillPlan: Sendable {
    public enum Action: Sendable, Hashable {
        /// The backfill's own run (created by it, or re-run by it).
        case own(DAGRun)
        /// Another run covers the date and stays as it is.
        case skip(DAGRun)
        /// Another run covers the date and is to be cleared and re-run by the backfill.
        case rerun(DAGRun)
        /// No run covers the date yet.
        case create
    }

    public struct Step: Sendable, Hashable {
        public var interval: DataInterval
        public var action: Action
    }

    /// One step per data interval, in the backfill's order (newest first when it runs backwards).
    public let steps: [Step]

    /// `runs`: the DAG's runs with a logical date in the backfill's range, newest first (as
    /// `StateStore.runs(_:)` lists them).
    public init(backfill: BackfillRecord, intervals: [DataInterval], runs: [DAGRun]) {
        var own: [Date: DAGRun] = [:]
        var other: [Date: DAGRun] = [:]
        for run in runs {
            if run.backfillId == backfill.id {
                if own[run.logicalDate] == nil { own[run.logicalDate] = run }
            } else if other[run.logicalDate] == nil {
                other[run.logicalDate] = run
            }
        }
        let ordered = backfill.runBackwards ? intervals.reversed() : intervals
        steps = ordered.map { interval in
            if let run = own[interval.start] { return Step(interval: interval, action: .own(run)) }
            guard let run = other[interval.start] else { return Step(interval: interval, action: .create) }
            return Step(interval: interval, action: Self.decide(run, backfill) ? .rerun(run) : .skip(run))
        }
    }

    /// Whether the backfill re-runs `run`, another run of its logical date.
    static func decide(_ run: DAGRun, _ backfill: BackfillRecord) -> Bool {
        guard run.state.isTerminal, (run.endDate ?? .distantPast) <= backfill.createdAt else { return false }
        switch backfill.reprocessBehavior {
        case .none: return false
        case .failed: return run.state == .failed
        case .completed: return true
        }
    }

    /// The backfill's own runs, in its order.
    public var ownRuns: [DAGRun] {
        steps.compactMap { if case .own(let run) = $0.action { run } else { nil } }
    }

    /// Own runs queued or running: what counts against the backfill's `maxActiveRuns`.
    public var activeRuns: Int { ownRuns.filter { !$0.state.isTerminal }.count }

    /// Every interval has its run (own or left alone) and every own run ended.
    public var isFinished: Bool {
        steps.allSatisfy { step in
            switch step.action {
            case .own(let run): run.state.isTerminal
            case .skip: true
            case .rerun, .create: false
            }
        }
    }

    /// Counts of the plan (see ``BackfillProgress``).
    public var progress: BackfillProgress {
        let own = ownRuns
        return BackfillProgress(
            intervals: steps.count,
            skipped: steps.filter { if case .skip = $0.action { true } else { false } }.count,
            created: own.count,
            queued: own.filter { $0.state == .queued }.count,
            running: own.filter { $0.state == .running }.count,
            succeeded: own.filter { $0.state == .success }.count,
            failed: own.filter { $0.state == .failed }.count)
    }
}

/// Where a backfill stands: derived from its runs, never stored.
public struct BackfillProgress: Sendable, Hashable, Codable {
    /// Data intervals with a logical date in the backfill's range.
    public var intervals: Int
    /// Intervals left to runs that are not the backfill's (per its reprocess behaviour).
    public var skipped: Int
    /// Runs the backfill created or re-ran so far.
    public var created: Int
    public var queued: Int
    public var running: Int
    public var succeeded: Int
    public var failed: Int

    public init(intervals: Int, skipped: Int, created: Int, queued: Int, running: Int, succeeded: Int, failed: Int) {
        self.intervals = intervals; self.skipped = skipped; self.created = created; self.queued = queued
        self.running = running; self.succeeded = succeeded; self.failed = failed
    }

    /// Runs the backfill has when it is done: every interval it does not skip.
    public var total: Int { intervals - skipped }
    /// Own runs that ended.
    public var done: Int { succeeded + failed }
}
