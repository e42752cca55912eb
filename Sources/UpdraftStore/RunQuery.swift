import Foundation
import UpdraftCore

/// Filters, order and page of `runs(_:)` and `countRuns(_:)` (Airflow's `GET /dags/{dag_id}/dagRuns`
/// parameters). Date bounds are inclusive; nil means no bound.
///
/// ```swift
/// var query = RunQuery(dagId: "etl", states: [.failed], limit: 50)
/// query.startDateGte = .utc(2024, 1, 1)
/// query.orderBy = RunOrder("-start_date")!
/// let page = try await store.runs(query)
/// ```
public struct RunQuery: Sendable {
    public var dagId: String?
    /// Runs with this run id (in any DAG unless `dagId` is set too).
    public var runId: String?
    public var states: Set<RunState>?
    public var runTypes: Set<RunType>?
    /// At most this many runs (`countRuns` ignores it).
    public var limit: Int?
    /// Runs skipped before the page starts (`countRuns` ignores it).
    public var offset: Int = 0
    public var logicalDateGte: Date?
    public var logicalDateLte: Date?
    /// A run that has not started matches no start bound.
    public var startDateGte: Date?
    public var startDateLte: Date?
    /// A run that has not ended matches no end bound.
    public var endDateGte: Date?
    public var endDateLte: Date?
    /// Bounds of `DAGRun.runAfter` (when the run was queued).
    public var runAfterGte: Date?
    public var runAfterLte: Date?
    /// Run ids containing this pattern, ignoring case (Airflow's `run_id_pattern`): `%` matches any
    /// text and `_` one character, as in SQL `LIKE`.
    public var runIdPattern: String?
    /// Default: newest logical date first.
    public var orderBy: RunOrder = .default
    /// Runs created or re-run by this backfill.
    public var backfillId: Int64?
    /// Runs whose logical date lies in this range (both ends included).
    public var logicalDates: ClosedRange<Date>?

    public init(
        dagId: String? = nil, runId: String? = nil, states: Set<RunState>? = nil,
        runTypes: Set<RunType>? = nil, limit: Int? = nil, backfillId: Int64? = nil,
        logicalDates: ClosedRange<Date>? = nil
    ) {
        self.dagId = dagId; self.runId = runId; self.states = states; self.runTypes = runTypes; self.limit = limit
        self.backfillId = backfillId; self.logicalDates = logicalDates
    }
}

/// The order of a run listing: a field, ascending or descending; ties go by creation order in
/// the same direction.
///
/// ```swift
/// let order = RunOrder("-start_date")   // Airflow's order_by text; nil for an unknown field
/// ```
public struct RunOrder: Sendable, Hashable, CustomStringConvertible {
    /// What runs are sorted on (Airflow's `order_by` names as raw values).
    public enum Field: String, Sendable, Hashable, CaseIterable {
        /// Creation order.
        case id
        case runId = "run_id"
        case state
        case dagId = "dag_id"
        case logicalDate = "logical_date"
        /// When the run was queued (`DAGRun.runAfter`).
        case runAfter = "run_after"
        case startDate = "start_date"
        case endDate = "end_date"
        case queuedAt = "queued_at"

        /// The `dag_run` column.
        public var column: String {
            switch self {
            case .runAfter: "queued_at"
            default: rawValue
            }
        }
    }

    public var field: Field
    public var descending: Bool

    public init(_ field: Field, descending: Bool = false) { self.field = field; self.descending = descending }

    /// An order from Airflow's text (`start_date`, `-start_date` for descending); nil for an
    /// unknown field.
    public init?(_ text: String) {
        let descending = text.hasPrefix("-")
        guard let field = Field(rawValue: descending ? String(text.dropFirst()) : text) else { return nil }
        self.init(field, descending: descending)
    }

    /// Newest logical date first (the listing's order before `orderBy` existed).
    public static let `default` = RunOrder(.logicalDate, descending: true)

    /// Airflow's text: `-start_date`.
    public var description: String { (descending ? "-" : "") + field.rawValue }
}

extension DAGRun {
    /// The earliest time the run could start (Airflow 3's `run_after`): for us, when it was queued,
    /// which for a scheduled run is when its interval ended and for a manual run when it was triggered.
    public var runAfter: Date { queuedAt }
}

extension RunQuery {
    /// The date bounds set on the query as (column, comparison, date), for a SQL store's `WHERE`.
    public var dateBounds: [(column: String, comparison: String, date: Date)] {
        let bounds: [(String, String, Date?)] = [
            ("logical_date", ">=", logicalDateGte), ("logical_date", "<=", logicalDateLte),
            ("start_date", ">=", startDateGte), ("start_date", "<=", startDateLte),
            ("end_date", ">=", endDateGte), ("end_date", "<=", endDateLte),
            ("queued_at", ">=", runAfterGte), ("queued_at", "<=", runAfterLte),
        ]
        return bounds.compactMap { column, comparison, date in date.map { (column, comparison, $0) } }
    }
}
