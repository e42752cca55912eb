import Foundation
import UpdraftRuntime
import UpdraftStore

/// A `MemoryStateStore` whose commits and lease releases fail while `broken` is set, as they do
/// when the disk fills during a run.
final class BrokenStore: StateStore {
    struct DiskFull: Error, CustomStringConvertible { var description: String { "database or disk is full" } }

    let inner = MemoryStateStore()
    private let state = Locked((broken: false, failures: 0))

    /// Whether commits and lease releases fail now.
    var broken: Bool {
        get { state.withLock { $0.broken } }
        set { state.withLock { $0.broken = newValue } }
    }

    /// How many writes failed so far.
    var failures: Int { state.withLock { $0.failures } }

    private func write<T>(_ body: () throws -> T) throws -> T {
        try state.withLock { s in
            if s.broken { s.failures += 1; throw DiskFull() }
        }
        return try body()
    }

    func syncDAGs(_ dags: [DAGEntry]) throws { try inner.syncDAGs(dags) }
    func dagEntries() throws -> [DAGEntry] { try inner.dagEntries() }
    func setPaused(_ dagId: String, _ paused: Bool) throws -> Bool { try inner.setPaused(dagId, paused) }
    func setLastScheduledInterval(_ dagId: String, _ interval: DataInterval) throws {
        try inner.setLastScheduledInterval(dagId, interval)
    }
    func createRun(_ run: DAGRun, instances: [TaskInstance]) throws { try inner.createRun(run, instances: instances) }
    func run(_ key: RunKey) throws -> DAGRun? { try inner.run(key) }
    func runs(_ query: RunQuery) throws -> [DAGRun] { try inner.runs(query) }
    func taskInstances(run: RunKey) throws -> [TaskInstance] { try inner.taskInstances(run: run) }
    func taskInstance(run: RunKey, taskId: String) throws -> TaskInstance? { try inner.taskInstance(run: run, taskId: taskId) }
    func tries(run: RunKey, taskId: String) throws -> [TaskTry] { try inner.tries(run: run, taskId: taskId) }
    func xcom(run: RunKey, taskId: String, key: String) throws -> [UInt8]? { try inner.xcom(run: run, taskId: taskId, key: key) }
    func factoryInputs(run: RunKey) throws -> [String: [UInt8]] { try inner.factoryInputs(run: run) }
    func commit(_ batch: StateBatch) throws { try write { try inner.commit(batch) } }
    func pools() throws -> [PoolRecord] { try inner.pools() }
    func setPool(_ pool: PoolRecord) throws { try inner.setPool(pool) }
    func acquireLease(run: RunKey, owner: ProcessIdentity, now: Date,
                      isAlive: @Sendable (ProcessIdentity) -> Bool) throws -> LeaseOutcome {
        try inner.acquireLease(run: run, owner: owner, now: now, isAlive: isAlive)
    }
    func releaseLease(run: RunKey, owner: ProcessIdentity) throws { try write { try inner.releaseLease(run: run, owner: owner) } }
    func leases() throws -> [RunLease] { try inner.leases() }
    func registerScheduler(_ owner: ProcessIdentity, now: Date) throws { try inner.registerScheduler(owner, now: now) }
    func unregisterScheduler(_ owner: ProcessIdentity) throws { try inner.unregisterScheduler(owner) }
    func schedulers() throws -> [ProcessIdentity] { try inner.schedulers() }
    func deleteRuns(endedBefore date: Date) throws -> [DAGRun] { try inner.deleteRuns(endedBefore: date) }
}
