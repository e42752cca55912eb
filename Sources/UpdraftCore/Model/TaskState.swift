/// The state of one task instance (its latest try), with Airflow's names.
public enum TaskState: String, Sendable, Codable, CaseIterable, Hashable {
    /// Created with the run (or cleared); the runtime has not looked at it yet.
    case none
    /// Set by the runtime when the trigger rule passed; waits for a slot.
    case scheduled
    /// Set by the runtime when a slot was taken and the try was handed to an executor.
    case queued
    /// Set by the runtime when the executor started the try.
    case running
    /// Set by the runtime when the try returned normally (or by `tasks mark`).
    case success
    /// Set by the runtime when the try threw, trapped or timed out with no retry left (or by `tasks mark`).
    case failed
    /// Set by the runtime when the try failed and the retry policy allows another try.
    case upForRetry = "up_for_retry"
    /// Set by the trigger rule when an upstream failure means this task can never run.
    case upstreamFailed = "upstream_failed"
    /// Set by the task itself (`TaskSkip`), by a branch not taken, by the trigger rule, or by a run timeout.
    case skipped
    /// Set by the runtime for a task that is no longer in the DAG's code.
    case removed
    /// Set on a history row by recovery: the try was cut off when its owner process died.
    case interrupted

    /// No further transition happens without a user action (clear, mark).
    public var isTerminal: Bool {
        // A switch, not `terminal.contains`: a String-backed enum hashes its raw value.
        switch self {
        case .success, .failed, .upstreamFailed, .skipped, .removed: true
        case .none, .scheduled, .queued, .running, .upForRetry, .interrupted: false
        }
    }
    /// The task did not produce its result.
    public var isFailure: Bool { self == .failed || self == .upstreamFailed }
    /// A try occupies a slot (`queued` or `running`).
    public var isActive: Bool { self == .queued || self == .running }

    /// States a finished task can be in.
    public static let terminal: Set<TaskState> = [.success, .failed, .upstreamFailed, .skipped, .removed]
    /// States that count as failures for trigger rules and run outcomes.
    public static let failures: Set<TaskState> = [.failed, .upstreamFailed]
    /// States in which a try occupies a slot.
    public static let active: Set<TaskState> = [.queued, .running]
}

/// The state of a DAG run, with Airflow's names.
public enum RunState: String, Sendable, Codable, CaseIterable, Hashable {
    /// Created and waiting for an owner (and for `maxActiveRuns`).
    case queued
    /// Owned by a process that is executing its tasks.
    case running
    /// Every leaf task ended in `success` or `skipped`.
    case success
    /// A leaf task failed, the run timed out, or it was cancelled or marked failed.
    case failed

    /// The run has ended.
    public var isTerminal: Bool { self == .success || self == .failed }
}

/// How a run was created (Airflow's `run_type`).
public enum RunType: String, Sendable, Codable, CaseIterable, Hashable {
    /// Triggered by a user, the API or another DAG's task.
    case manual
    /// Created by the scheduler for a due data interval.
    case scheduled
    /// Created by a backfill (`updraft backfill create`), which the scheduler drives.
    case backfill
    /// Created by the scheduler when the DAG's asset condition was met by queued asset events.
    case assetTriggered = "asset_triggered"
}

/// What created a run (Airflow 3's `triggered_by`).
public enum TriggeredBy: String, Sendable, Codable, CaseIterable, Hashable {
    case cli, restAPI = "rest_api", ui, timetable, asset, backfill, `operator`, test

    /// The usual trigger of a run type (used for rows written before the column existed).
    public static func `default`(for runType: RunType) -> TriggeredBy {
        switch runType {
        case .manual: .cli
        case .scheduled: .timetable
        case .backfill: .backfill
        case .assetTriggered: .asset
        }
    }
}
