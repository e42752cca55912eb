import Foundation
import UpdraftCore

/// What a backfill does with a logical date that already has a run (Airflow's `reprocess_behavior`).
public enum ReprocessBehavior: String, Sendable, Codable, CaseIterable, Hashable {
    /// Leave every logical date that has a run alone; only missing ones get a run.
    case none
    /// Re-run (clear) the existing runs that failed; leave the successful ones alone.
    case failed
    /// Re-run (clear) every existing run, whatever its state.
    case completed
}

/// A backfill: a range of logical dates the scheduler creates and executes runs for (Airflow 3's
/// `backfill` row, AIP-78). Field names follow Airflow's `BackfillResponse` in camel case.
///
/// ```swift
/// let backfill = try await store.createBackfill(BackfillRecord(
///     dagId: "etl", fromDate: .utc(2024, 1, 1), toDate: .utc(2024, 1, 31), createdAt: .utc(2024, 2, 1)))
/// print(backfill.id)
/// ```
public struct BackfillRecord: Sendable, Hashable, Codable {
    /// Assigned by `StateStore.createBackfill(_:)` (0 before).
    public var id: Int64
    public var dagId: String
    /// The first logical date (inclusive).
    public var fromDate: Date
    /// The last logical date (inclusive).
    public var toDate: Date
    /// Newest logical date first.
    public var runBackwards: Bool
    /// The conf of every run the backfill creates.
    public var dagRunConf: [String: JSONValue]
    public var reprocessBehavior: ReprocessBehavior
    /// How many of the backfill's runs may be queued or running at once (independent of the DAG's own).
    public var maxActiveRuns: Int
    /// A paused backfill creates and starts no run (runs already running finish).
    public var isPaused: Bool
    public var createdAt: Date
    public var updatedAt: Date
    /// When every interval's run ended, or when the backfill was cancelled; nil while it is active.
    public var completedAt: Date?
    /// Who created it, when known.
    public var triggeringUserName: String?

    public init(
        id: Int64 = 0, dagId: String, fromDate: Date, toDate: Date, runBackwards: Bool = false,
        dagRunConf: [String: JSONValue] = [:], reprocessBehavior: ReprocessBehavior = .none,
        maxActiveRuns: Int = BackfillRecord.defaultMaxActiveRuns, isPaused: Bool = false, createdAt: Date,
        updatedAt: Date? = nil, completedAt: Date? = nil, triggeringUserName: String? = nil
    ) {
        self.id = id; self.dagId = dagId; self.fromDate = fromDate; self.toDate = toDate
        self.runBackwards = runBackwards; self.dagRunConf = dagRunConf; self.reprocessBehavior = reprocessBehavior
        self.maxActiveRuns = maxActiveRuns; self.isPaused = isPaused; self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt; self.completedAt = completedAt
        self.triggeringUserName = triggeringUserName
    }

    /// Airflow's default `max_active_runs` of a backfill.
    public static let defaultMaxActiveRuns = 10

    /// Not completed (nor cancelled): the scheduler still drives it, unless it is paused.
    public var isActive: Bool { completedAt == nil }
}
