import Foundation

/// One entry of the audit log: who did what to which DAG, run or task (Airflow's `log` row).
///
/// The engine's operations write these (`Engine.AuditEvent` lists the names); `owner` is the user
/// who acted (the OS user for the CLI, the API's user for the REST API), nil for the engine itself.
///
/// ```swift
/// try await store.recordEvent(EventLogRecord(when: now, event: "trigger_dag_run", owner: "ada", dagId: "etl"))
/// ```
public struct EventLogRecord: Sendable, Hashable {
    /// The store's id; 0 before the record is inserted.
    public var id: Int64
    public var when: Date
    public var event: String
    public var owner: String?
    public var dagId: String?
    public var runId: String?
    public var taskId: String?
    public var tryNumber: Int?
    public var mapIndex: Int?
    public var logicalDate: Date?
    /// Free text, usually a JSON object of the action's details.
    public var extra: String?

    public init(
        id: Int64 = 0, when: Date, event: String, owner: String? = nil, dagId: String? = nil,
        runId: String? = nil, taskId: String? = nil, tryNumber: Int? = nil, mapIndex: Int? = nil,
        logicalDate: Date? = nil, extra: String? = nil
    ) {
        self.id = id; self.when = when; self.event = event; self.owner = owner; self.dagId = dagId
        self.runId = runId; self.taskId = taskId; self.tryNumber = tryNumber; self.mapIndex = mapIndex
        self.logicalDate = logicalDate; self.extra = extra
    }
}

/// Filters, order and page of `eventLogs(_:)` (Airflow's `GET /eventLogs` parameters).
///
/// ```swift
/// let (page, total) = try await store.eventLogs(EventLogQuery(dagId: "etl", limit: 50, orderBy: "-when"))
/// ```
public struct EventLogQuery: Sendable, Hashable {
    public var dagId: String?
    public var taskId: String?
    public var runId: String?
    public var event: String?
    public var owner: String?
    /// Only entries strictly before this time.
    public var before: Date?
    /// Only entries strictly after this time.
    public var after: Date?
    /// At most this many records (the total counts them all).
    public var limit: Int?
    /// Records skipped before the page starts.
    public var offset: Int
    /// A field of `EventLogQuery.orderFields`, `-` in front for descending; nil: `event_log_id`
    /// ascending (Airflow's default). Another text makes the query throw `StoreError.invalidQuery`.
    public var orderBy: String?

    public init(
        dagId: String? = nil, taskId: String? = nil, runId: String? = nil, event: String? = nil,
        owner: String? = nil, before: Date? = nil, after: Date? = nil, limit: Int? = nil, offset: Int = 0,
        orderBy: String? = nil
    ) {
        self.dagId = dagId; self.taskId = taskId; self.runId = runId; self.event = event; self.owner = owner
        self.before = before; self.after = after; self.limit = limit; self.offset = offset; self.orderBy = orderBy
    }

    /// The fields `orderBy` accepts (Airflow's names) and the column each sorts on.
    public static let orderFields: [String: String] = [
        "event_log_id": "id", "id": "id", "when": "dttm", "dttm": "dttm", "event": "event", "owner": "owner",
        "dag_id": "dag_id", "run_id": "run_id", "task_id": "task_id", "try_number": "try_number",
    ]

    /// The column and direction of `orderBy`; throws `invalidQuery` naming an unknown field.
    public func order() throws -> (column: String, descending: Bool) {
        guard let text = orderBy, !text.isEmpty else { return ("id", false) }
        let descending = text.hasPrefix("-")
        let field = descending ? String(text.dropFirst()) : text
        guard let column = Self.orderFields[field] else {
            throw StoreError.invalidQuery(
                "cannot order event logs by '\(field)'; use one of \(Self.orderFields.keys.sorted().joined(separator: ", "))")
        }
        return (column, descending)
    }
}
