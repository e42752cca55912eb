import Foundation
import UpdraftCore

/// A DAG as the store knows it (Airflow's `dag` row).
public struct DAGEntry: Sendable, Hashable {
    public var dagId: String
    public var isPaused: Bool
    /// The data interval of the latest scheduled run ever created (Airflow keeps the next one,
    /// `next_dagrun`, on the DAG row); nil before the first.
    public var lastScheduledInterval: DataInterval?
    public init(dagId: String, isPaused: Bool, lastScheduledInterval: DataInterval? = nil) {
        self.dagId = dagId; self.isPaused = isPaused; self.lastScheduledInterval = lastScheduledInterval
    }
}

/// Filters for `runs(_:)`.
public struct RunQuery: Sendable {
    public var dagId: String?
    /// Runs with this run id (in any DAG unless `dagId` is set too).
    public var runId: String?
    public var states: Set<RunState>?
    public var runTypes: Set<RunType>?
    public var limit: Int?
    public init(dagId: String? = nil, runId: String? = nil, states: Set<RunState>? = nil,
                runTypes: Set<RunType>? = nil, limit: Int? = nil) {
        self.dagId = dagId; self.runId = runId; self.states = states; self.runTypes = runTypes; self.limit = limit
    }
}

/// A named pool of slots (Airflow's `slot_pool`).
public struct PoolRecord: Sendable, Hashable, Codable {
    public var name: String
    public var slots: Int
    public var description: String
    public init(name: String, slots: Int, description: String = "") {
        self.name = name; self.slots = slots; self.description = description
    }
    /// Airflow's default pool: 128 slots.
    public static let defaultPool = PoolRecord(name: TaskOptions.defaultPool, slots: 128, description: "Default pool")
}

/// A process, identified so that a restarted process can tell it is dead at once.
public struct ProcessIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    public var pid: Int32
    /// Start time of the process (clock ticks since boot, `/proc/<pid>/stat` field 22).
    public var startTime: UInt64
    public var host: String
    public init(pid: Int32, startTime: UInt64, host: String) {
        self.pid = pid; self.startTime = startTime; self.host = host
    }
    public var description: String { "pid \(pid) on \(host)" }
}

/// The owner of a run: who, since when, its last heartbeat and the run's fencing token.
public struct RunLease: Sendable, Hashable {
    public var run: RunKey
    public var owner: ProcessIdentity
    public var acquiredAt: Date
    /// The owner's last renewal.
    public var heartbeatAt: Date
    /// Another process may take the run over after this, even when the owner looks alive.
    public var expiresAt: Date
    /// Grows by one each time the run changes hands; writes by the owner carry it.
    public var fencingToken: Int64

    public init(run: RunKey, owner: ProcessIdentity, acquiredAt: Date, heartbeatAt: Date? = nil, expiresAt: Date? = nil,
                fencingToken: Int64 = 0) {
        self.run = run; self.owner = owner; self.acquiredAt = acquiredAt
        self.heartbeatAt = heartbeatAt ?? acquiredAt; self.expiresAt = expiresAt ?? .distantFuture
        self.fencingToken = fencingToken
    }

    /// What the holder passes to renew, release and fence its writes.
    public var token: LeaseToken { LeaseToken(run: run, owner: owner, fencingToken: fencingToken) }
}

/// Proof of holding a run's lease: renewals, the release and fenced commits check it.
public struct LeaseToken: Sendable, Hashable {
    public var run: RunKey
    public var owner: ProcessIdentity
    public var fencingToken: Int64
    public init(run: RunKey, owner: ProcessIdentity, fencingToken: Int64) {
        self.run = run; self.owner = owner; self.fencingToken = fencingToken
    }
}

/// The result of `acquireLease`.
public enum LeaseOutcome: Sendable, Equatable {
    /// Taken (or already held by `owner`); `previousOwner` is set when it was taken over from a
    /// dead process or one whose heartbeat expired.
    case acquired(LeaseToken, previousOwner: ProcessIdentity?)
    /// A live process with a fresh heartbeat owns the run.
    case heldBy(ProcessIdentity)

    /// The token when acquired.
    public var token: LeaseToken? {
        if case .acquired(let token, _) = self { return token }
        return nil
    }
}

/// An asset as the store knows it (Airflow's `AssetResponse`).
public struct AssetRecord: Sendable, Hashable {
    public var id: Int64
    public var asset: Asset
    public var createdAt: Date
    public var updatedAt: Date
    /// DAGs scheduled on the asset.
    public var consumingDAGs: [String]
    /// `dag_id.task_id` of the tasks that declare the asset as an outlet.
    public var producingTasks: [TaskKeyName]
    /// The newest event, if any.
    public var lastEvent: AssetEvent?

    public init(id: Int64, asset: Asset, createdAt: Date, updatedAt: Date, consumingDAGs: [String] = [],
                producingTasks: [TaskKeyName] = [], lastEvent: AssetEvent? = nil) {
        self.id = id; self.asset = asset; self.createdAt = createdAt; self.updatedAt = updatedAt
        self.consumingDAGs = consumingDAGs; self.producingTasks = producingTasks; self.lastEvent = lastEvent
    }
}

/// A task named by DAG id and task id (Airflow's `TaskOutletAssetReference`).
public struct TaskKeyName: Sendable, Hashable {
    public var dagId: String
    public var taskId: String
    public init(_ dagId: String, _ taskId: String) { self.dagId = dagId; self.taskId = taskId }
}

/// The assets that DAGs in code declare: outlets of their tasks and their asset schedules.
public struct AssetReferences: Sendable, Hashable {
    public var assets: [Asset] = []
    /// Asset URI → DAG ids scheduled on it.
    public var consumers: [String: [String]] = [:]
    /// Asset URI → tasks declaring it as an outlet.
    public var producers: [String: [TaskKeyName]] = [:]
    public init() {}
}

/// An asset event to record in a commit; the store queues it for every DAG scheduled on the asset.
public struct AssetEventDraft: Sendable, Hashable {
    public var asset: Asset
    public var sourceRun: RunKey
    public var sourceTaskId: String
    public var sourceMapIndex: Int
    public var timestamp: Date
    public var extra: [String: JSONValue]
    public init(asset: Asset, sourceRun: RunKey, sourceTaskId: String, sourceMapIndex: Int = -1, timestamp: Date,
                extra: [String: JSONValue] = [:]) {
        self.asset = asset; self.sourceRun = sourceRun; self.sourceTaskId = sourceTaskId
        self.sourceMapIndex = sourceMapIndex; self.timestamp = timestamp; self.extra = extra
    }
}

/// A store error that names the thing at fault.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    case duplicateRun(RunKey)
    case unknownRun(RunKey)
    case database(String)
    /// The writer no longer holds the run's lease (another process took the run over).
    case leaseLost(RunKey, ProcessIdentity)

    public var description: String {
        switch self {
        case .duplicateRun(let key): "DAG '\(key.dagId)' already has a run with id '\(key.runId)'"
        case .unknownRun(let key): "DAG '\(key.dagId)' has no run with id '\(key.runId)'"
        case .database(let message): "state database: \(message)"
        case .leaseLost(let key, let owner):
            "\(owner) no longer holds the lease of run '\(key.runId)' of DAG '\(key.dagId)' (taken over)"
        }
    }
}
