import Foundation
import UpdraftCore

/// What a worker needs to run one try: the task's address and its inputs. It travels to a worker
/// process as its binary ``frame`` and sits in a remote queue row in the same form (`RemoteJob`).
///
/// A worker finds the task by `dagId` and `taskId` in its registry; a task made by a factory
/// is rebuilt from `factoryInputs` (the stored inputs of the factories on its path).
public struct TaskRequest: Sendable, Codable {
    public var dagId: String
    public var runId: String
    public var taskId: String
    public var tryNumber: Int
    public var logicalDate: Date
    public var dataInterval: DataInterval
    public var params: [String: JSONValue]
    /// Factory id → stored input (JSON text).
    public var factoryInputs: [String: String]
    /// Prefetched XCom of upstream tasks: task id → key → JSON text.
    public var xcoms: [String: [String: String]]
    /// The state database, for XCom of tasks that were not prefetched (read-only).
    public var storePath: String?
    /// The try's log file.
    public var logPath: String
    /// When set, `taskId` is a factory: build its tasks from this input (JSON text) and report
    /// how many it made, running none of them. The owner of the run builds them itself only
    /// after this succeeded, so a factory that traps fails itself, not the owner.
    public var buildInput: String?
    /// The queue that serves the task (`TaskOptions.queue`): a routing executor sends tries of
    /// queues it does not serve itself to remote workers.
    public var queue: String = TaskOptions.defaultQueue
    /// The structure hash of the DAG the run was planned with (a remote worker with other code refuses the try).
    public var dagHash: String = ""
    /// The task's priority weight (remote workers claim higher first).
    public var priority: Int = 1

    public init(
        dagId: String, runId: String, taskId: String, tryNumber: Int, logicalDate: Date,
        dataInterval: DataInterval, params: [String: JSONValue], factoryInputs: [String: String] = [:],
        xcoms: [String: [String: String]] = [:], storePath: String? = nil, logPath: String, queue: String? = nil,
        dagHash: String = "", priority: Int? = nil
    ) {
        self.queue = queue ?? TaskOptions.defaultQueue; self.dagHash = dagHash; self.priority = priority ?? 1
        self.dagId = dagId; self.runId = runId; self.taskId = taskId; self.tryNumber = tryNumber
        self.logicalDate = logicalDate; self.dataInterval = dataInterval; self.params = params
        self.factoryInputs = factoryInputs; self.xcoms = xcoms; self.storePath = storePath; self.logPath = logPath
    }
}

/// What a try produced: the job reply, as its binary ``frame`` from a worker process.
public struct TaskReply: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable { case success, skipped, failed }

    public var outcome: Outcome
    /// XCom pushed by the try, including `return_value`: key → JSON text.
    public var xcoms: [String: String]
    /// For a branch: the downstream ids to follow.
    public var follow: [String]?
    /// Runs of other DAGs to create when the try succeeded.
    public var triggers: [DAGTriggerRequest]
    /// Messages to put in the outbox when the try succeeded (`ctx.notify`); nil when none.
    public var notices: [TaskNotice]?
    public var error: String?
    /// `String(describing: type(of: error))` of the thrown error.
    public var errorType: String?
    /// False for `TaskFailure` (fail without retry).
    public var retryable: Bool
    /// Counter increments of the replying process since its previous reply (`ctx.metrics`);
    /// the run's owner adds them to its metrics factory. Nil when there are none.
    public var counters: [CounterIncrement]?

    public init(
        outcome: Outcome, xcoms: [String: String] = [:], follow: [String]? = nil,
        triggers: [DAGTriggerRequest] = [], notices: [TaskNotice]? = nil, error: String? = nil, errorType: String? = nil,
        retryable: Bool = true, counters: [CounterIncrement]? = nil
    ) {
        self.outcome = outcome; self.xcoms = xcoms; self.follow = follow; self.triggers = triggers; self.notices = notices
        self.error = error; self.errorType = errorType; self.retryable = retryable; self.counters = counters
    }
}

/// A task's request to run another DAG.
public struct DAGTriggerRequest: Sendable, Codable, Equatable {
    public var dagId: String
    public var conf: [String: JSONValue]
}

/// How an executor's try ended.
public enum ExecutionResult: Sendable, Equatable {
    /// The task ran and replied.
    case replied(TaskReply)
    /// The worker died (trap, exit, signal); the message says how.
    case crashed(String)
    /// Killed after `executionTimeout`.
    case timedOut(Duration)
    /// Cut off outside the task's control (its remote worker stopped heartbeating): the try is
    /// recorded `interrupted` and re-run without using a retry.
    case interrupted(String)
    /// Cancelled (run cancelled or shutting down).
    case cancelled
}

enum PayloadCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()
}
