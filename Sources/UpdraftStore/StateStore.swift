import Foundation
import UpdraftCore

/// Durable state of DAGs, runs, task instances, tries, XCom, pools and run leases.
///
/// Two implementations share one test suite: `SQLiteStateStore` (GRDB, WAL) and
/// `MemoryStateStore`. Writes that belong together go through `commit(_:)` in one transaction.
public protocol StateStore: Sendable {
    /// Records DAGs the store has not seen (paused as declared); known DAGs keep their flag.
    func syncDAGs(_ dags: [DAGEntry]) throws
    func dagEntries() throws -> [DAGEntry]
    /// Sets the paused flag; false when the DAG is unknown to the store.
    @discardableResult func setPaused(_ dagId: String, _ paused: Bool) throws -> Bool
    /// Records the data interval of the DAG's latest scheduled run in the DAG's row (kept when
    /// retention deletes runs, so the scheduler never runs an interval twice); an earlier
    /// interval than the one stored is ignored.
    func setLastScheduledInterval(_ dagId: String, _ interval: DataInterval) throws

    /// Creates a run and its initial task instances; throws `StoreError.duplicateRun` when the
    /// DAG already has a run with that id.
    func createRun(_ run: DAGRun, instances: [TaskInstance]) throws
    func run(_ key: RunKey) throws -> DAGRun?
    /// Runs matching the query, newest logical date first.
    func runs(_ query: RunQuery) throws -> [DAGRun]

    func taskInstances(run: RunKey) throws -> [TaskInstance]
    func taskInstance(run: RunKey, taskId: String) throws -> TaskInstance?
    /// Finished tries of one task, oldest first.
    func tries(run: RunKey, taskId: String) throws -> [TaskTry]
    func xcom(run: RunKey, taskId: String, key: String) throws -> [UInt8]?
    /// Stored factory inputs of a run by factory id.
    func factoryInputs(run: RunKey) throws -> [String: [UInt8]]

    /// Applies every write of the batch in one transaction (group commit).
    func commit(_ batch: StateBatch) throws

    func pools() throws -> [PoolRecord]
    func setPool(_ pool: PoolRecord) throws

    /// Takes the run's lease when it is free or its owner is dead (checked with `isAlive`).
    func acquireLease(run: RunKey, owner: ProcessIdentity, now: Date,
                      isAlive: @Sendable (ProcessIdentity) -> Bool) throws -> LeaseOutcome
    func releaseLease(run: RunKey, owner: ProcessIdentity) throws
    func leases() throws -> [RunLease]

    /// Registers a scheduler process (so others can tell one is alive).
    func registerScheduler(_ owner: ProcessIdentity, now: Date) throws
    func unregisterScheduler(_ owner: ProcessIdentity) throws
    func schedulers() throws -> [ProcessIdentity]

    /// Deletes finished runs that ended before `date` with their tasks, tries and XCom.
    func deleteRuns(endedBefore date: Date) throws -> [DAGRun]
}

/// Writes committed together.
public struct StateBatch: Sendable {
    public var runs: [DAGRun] = []
    public var instances: [TaskInstance] = []
    public var tries: [TaskTry] = []
    public var xcoms: [XComEntry] = []
    public var factoryInputs: [FactoryInput] = []
    /// XCom of these (run, task) pairs is deleted first (a cleared or retried task starts clean).
    public var clearedXComs: [TaskKey] = []

    public init() {}

    public var isEmpty: Bool {
        runs.isEmpty && instances.isEmpty && tries.isEmpty && xcoms.isEmpty && factoryInputs.isEmpty
            && clearedXComs.isEmpty
    }

    /// Instance writes with only the last write of each task kept.
    public var latestInstances: [TaskInstance] {
        var seen: Set<TaskKey> = []
        var result: [TaskInstance] = []
        for instance in instances.reversed() where seen.insert(TaskKey(instance.runKey, instance.taskId)).inserted {
            result.append(instance)
        }
        return result.reversed()
    }
}

/// A (run, task) pair.
public struct TaskKey: Sendable, Hashable {
    public var run: RunKey
    public var taskId: String
    public init(_ run: RunKey, _ taskId: String) { self.run = run; self.taskId = taskId }
}

/// One XCom value.
public struct XComEntry: Sendable, Hashable {
    public var run: RunKey
    public var taskId: String
    public var key: String
    public var value: [UInt8]
    public init(run: RunKey, taskId: String, key: String, value: [UInt8]) {
        self.run = run; self.taskId = taskId; self.key = key; self.value = value
    }
}

/// The stored input of one factory expansion.
public struct FactoryInput: Sendable, Hashable {
    public var run: RunKey
    public var factoryId: String
    public var input: [UInt8]
    public init(run: RunKey, factoryId: String, input: [UInt8]) {
        self.run = run; self.factoryId = factoryId; self.input = input
    }
}
