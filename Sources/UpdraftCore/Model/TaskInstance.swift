import Foundation

/// The latest try of one task in one run (Airflow's `task_instance` row).
public struct TaskInstance: Sendable, Hashable, Codable {
    public var runId: String
    public var dagId: String
    public var taskId: String
    /// The enclosing group's full id, nil at the top level.
    public var group: String?
    public var state: TaskState
    /// 0 before the first try starts.
    public var tryNumber: Int
    /// Tries that failed and so used up a retry (interrupted tries do not count).
    public var failedTries: Int
    /// `retries` of the task's policy (Airflow's `max_tries`).
    public var maxTries: Int
    public var startDate: Date?
    public var endDate: Date?
    /// When an `up_for_retry` task may try again.
    public var nextRetryAt: Date?
    public var pool: String
    public var poolSlots: Int
    public var priority: Int
    /// The queue a worker takes the try from (`TaskOptions.queue`).
    public var queue: String
    /// `task`, `branch` or `factory`.
    public var kind: String
    /// The last error, if the latest try failed.
    public var error: String?

    public init(
        runId: String, dagId: String, taskId: String, group: String? = nil, state: TaskState = .none,
        tryNumber: Int = 0, failedTries: Int = 0, maxTries: Int = 0, startDate: Date? = nil,
        endDate: Date? = nil, nextRetryAt: Date? = nil, pool: String = TaskOptions.defaultPool,
        poolSlots: Int = 1, priority: Int = 1, queue: String = TaskOptions.defaultQueue, kind: String = "task",
        error: String? = nil
    ) {
        self.runId = runId; self.dagId = dagId; self.taskId = taskId; self.group = group; self.state = state
        self.tryNumber = tryNumber; self.failedTries = failedTries; self.maxTries = maxTries
        self.startDate = startDate; self.endDate = endDate; self.nextRetryAt = nextRetryAt
        self.pool = pool; self.poolSlots = poolSlots; self.priority = priority; self.queue = queue; self.kind = kind
        self.error = error
    }

    /// A new instance for `node`.
    public init(runId: String, dagId: String, node: TaskNode) {
        self.init(
            runId: runId, dagId: dagId, taskId: node.id, group: node.group,
            maxTries: node.options.retry.retries, pool: node.options.pool,
            poolSlots: node.options.poolSlots, priority: node.options.priority, queue: node.options.queue,
            kind: node.kind.name)
    }

    /// Seconds from start to end (or nil while either is missing).
    public var duration: Double? {
        guard let startDate, let endDate else { return nil }
        return endDate.timeIntervalSince(startDate)
    }
}

/// One finished try (Airflow's `task_instance_history` row).
public struct TaskTry: Sendable, Hashable, Codable {
    public var dagId: String
    public var runId: String
    public var taskId: String
    public var tryNumber: Int
    /// `success`, `failed`, `skipped` or `interrupted`.
    public var state: TaskState
    public var startDate: Date?
    public var endDate: Date?
    public var error: String?

    public init(
        dagId: String, runId: String, taskId: String, tryNumber: Int, state: TaskState,
        startDate: Date?, endDate: Date?, error: String? = nil
    ) {
        self.dagId = dagId; self.runId = runId; self.taskId = taskId; self.tryNumber = tryNumber; self.state = state
        self.startDate = startDate; self.endDate = endDate; self.error = error
    }
}

/// One run of a DAG (Airflow's `dag_run` row).
public struct DAGRun: Sendable, Hashable, Codable {
    public var dagId: String
    /// Unique within the DAG (the run's identity is `key`), e.g. `manual__2024-05-01T10:00:00.123+00:00`.
    public var runId: String
    public var state: RunState
    public var runType: RunType
    /// What created the run (Airflow 3's `triggered_by`).
    public var triggeredBy: TriggeredBy
    public var logicalDate: Date
    public var dataInterval: DataInterval
    public var queuedAt: Date
    public var startDate: Date?
    public var endDate: Date?
    /// The conf the run was triggered with (before param defaults).
    public var conf: [String: JSONValue]
    /// The backfill that created the run, or re-ran it (Airflow's `dag_run.backfill_id`); nil otherwise.
    public var backfillId: Int64?
    /// A user's note on the run (Airflow's `note`); changed only through the store's `setRunNote`.
    public var note: String?
    /// The user who triggered the run (Airflow's `triggering_user_name`); nil for the scheduler's runs.
    public var triggeringUserName: String?
    /// The id of the DAG version the run was created with (Airflow 3's `dag_version_id`); nil for
    /// runs created before versions were recorded.
    public var dagVersionId: String?

    public init(
        dagId: String, runId: String, state: RunState = .queued, runType: RunType,
        triggeredBy: TriggeredBy? = nil, logicalDate: Date,
        dataInterval: DataInterval, queuedAt: Date, startDate: Date? = nil, endDate: Date? = nil,
        conf: [String: JSONValue] = [:], backfillId: Int64? = nil, note: String? = nil, triggeringUserName: String? = nil,
        dagVersionId: String? = nil
    ) {
        self.dagId = dagId; self.runId = runId; self.state = state; self.runType = runType
        self.triggeredBy = triggeredBy ?? .default(for: runType)
        self.logicalDate = logicalDate; self.dataInterval = dataInterval; self.queuedAt = queuedAt
        self.startDate = startDate; self.endDate = endDate; self.conf = conf; self.backfillId = backfillId
        self.note = note; self.triggeringUserName = triggeringUserName; self.dagVersionId = dagVersionId
    }
}
