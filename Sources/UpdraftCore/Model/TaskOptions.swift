/// Per-task execution options; a DAG's `defaults` apply to tasks that pass none.
///
/// ```swift
/// TaskOptions(retry: RetryPolicy(retries: 3, initialDelay: .seconds(5)),
///             executionTimeout: .seconds(60), pool: "binance", priority: 10)
/// ```
public struct TaskOptions: Sendable {
    /// How failed tries are retried (default: no retry).
    public var retry: RetryPolicy
    /// A try running longer than this is killed and counts as failed.
    public var executionTimeout: Duration?
    /// When the task may run given its upstream states.
    public var triggerRule: TriggerRule
    /// The pool whose slots the task takes (`default_pool` has 128).
    public var pool: String
    /// Slots of `pool` one try occupies.
    public var poolSlots: Int
    /// Higher runs first when more tasks are ready than slots are free (absolute weight).
    public var priority: Int
    /// The queue a worker takes the task's tries from (Airflow's `queue`; `default`).
    public var queue: String
    /// Assets the task updates: an event for each is recorded when the task succeeds.
    public var outlets: [Asset]
    /// Called in the owning process after the task succeeded.
    public var onSuccess: TaskCallback?
    /// Called in the owning process after the task failed for good.
    public var onFailure: TaskCallback?
    /// Called in the owning process after a failed try that will be retried.
    public var onRetry: TaskCallback?

    public init(
        retry: RetryPolicy = .none, executionTimeout: Duration? = nil,
        triggerRule: TriggerRule = .allSuccess, pool: String = TaskOptions.defaultPool,
        poolSlots: Int = 1, priority: Int = 1, queue: String = TaskOptions.defaultQueue,
        outlets: [Asset] = [], onSuccess: TaskCallback? = nil,
        onFailure: TaskCallback? = nil, onRetry: TaskCallback? = nil
    ) {
        self.retry = retry; self.executionTimeout = executionTimeout; self.triggerRule = triggerRule
        self.pool = pool; self.poolSlots = max(1, poolSlots); self.priority = priority
        self.queue = queue; self.outlets = outlets
        self.onSuccess = onSuccess; self.onFailure = onFailure; self.onRetry = onRetry
    }

    /// The pool every task uses unless told otherwise (Airflow's name).
    public static let defaultPool = "default_pool"
    /// The queue every task uses unless told otherwise.
    public static let defaultQueue = "default"
}

/// A callback on a task or run outcome; runs outside state transitions, after they are committed.
/// An error it throws is written to the task's log (or the run's log) and shown by `runs show`.
public typealias TaskCallback = @Sendable (CallbackInfo) async throws -> Void

/// What a callback is told.
public struct CallbackInfo: Sendable, Hashable {
    public var dagId: String
    public var runId: String
    /// The task, or nil for a run-level callback.
    public var taskId: String?
    public var tryNumber: Int
    /// The task state (or `success`/`failed` for a run).
    public var state: TaskState
    /// The error of the failed try, if any.
    public var error: String?

    public init(dagId: String, runId: String, taskId: String?, tryNumber: Int, state: TaskState, error: String?) {
        self.dagId = dagId; self.runId = runId; self.taskId = taskId
        self.tryNumber = tryNumber; self.state = state; self.error = error
    }
}
