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

/// A store error that names the thing at fault.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    case duplicateRun(RunKey)
    case unknownRun(RunKey)
    case database(String)
    /// The writer no longer holds the run's lease (another process took the run over).
    case leaseLost(RunKey, ProcessIdentity)
    /// The DAG already has a backfill that is not completed (its id).
    case activeBackfill(dagId: String, id: Int64)
    case unknownBackfill(Int64)
    /// A query the store cannot answer (an unknown order field), with what to use instead.
    case invalidQuery(String)
    /// No asset has this id.
    case unknownAsset(Int64)
    /// The worker's claim on the try is not the current one (it expired and the try was
    /// interrupted, or another claim replaced it): its result or renewal is refused.
    case claimLost(TryKey, worker: String)

    public var description: String {
        switch self {
        case .duplicateRun(let key): "DAG '\(key.dagId)' already has a run with id '\(key.runId)'"
        case .unknownRun(let key): "DAG '\(key.dagId)' has no run with id '\(key.runId)'"
        case .database(let message): "state database: \(message)"
        case .leaseLost(let key, let owner):
            "\(owner) no longer holds the lease of run '\(key.runId)' of DAG '\(key.dagId)' (taken over)"
        case .activeBackfill(let dagId, let id): "DAG '\(dagId)' already has an active backfill (id \(id))"
        case .unknownBackfill(let id): "no backfill with id \(id)"
        case .invalidQuery(let message): message
        case .unknownAsset(let id): "no asset has id \(id)"
        case .claimLost(let key, let worker): "worker \(worker) no longer holds the claim on \(key); its result is refused"
        }
    }
}
