import Foundation
import UpdraftCore

/// A DAG as the store knows it (Airflow's `dag` row).
public struct DAGEntry: Sendable, Hashable {
    public var dagId: String
    public var isPaused: Bool
    public init(dagId: String, isPaused: Bool) { self.dagId = dagId; self.isPaused = isPaused }
}

/// Filters for `runs(_:)`.
public struct RunQuery: Sendable {
    public var dagId: String?
    public var states: Set<RunState>?
    public var runTypes: Set<RunType>?
    public var limit: Int?
    public init(dagId: String? = nil, states: Set<RunState>? = nil, runTypes: Set<RunType>? = nil, limit: Int? = nil) {
        self.dagId = dagId; self.states = states; self.runTypes = runTypes; self.limit = limit
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

/// The owner of a run.
public struct RunLease: Sendable, Hashable {
    public var runId: String
    public var owner: ProcessIdentity
    public var acquiredAt: Date
    public init(runId: String, owner: ProcessIdentity, acquiredAt: Date) {
        self.runId = runId; self.owner = owner; self.acquiredAt = acquiredAt
    }
}

/// The result of `acquireLease`.
public enum LeaseOutcome: Sendable, Equatable {
    /// Taken; `previousOwner` is set when it was taken over from a dead process.
    case acquired(previousOwner: ProcessIdentity?)
    /// A live process owns the run.
    case heldBy(ProcessIdentity)
}

/// A store error that names the thing at fault.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    case duplicateRun(String)
    case unknownRun(String)
    case database(String)

    public var description: String {
        switch self {
        case .duplicateRun(let id): "a run with id '\(id)' already exists"
        case .unknownRun(let id): "no run with id '\(id)'"
        case .database(let message): "state database: \(message)"
        }
    }
}
