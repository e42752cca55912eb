import Foundation
import UpdraftCore

/// The state store in memory, for tests and `tasks test`; behaves like `SQLiteStateStore`.
public final class MemoryStateStore: StateStore {
    struct Contents {
        var dags: [String: DAGEntry] = [:]
        var runs: [RunKey: DAGRun] = [:]
        var runOrder: [RunKey] = []
        var instances: [RunKey: [String: TaskInstance]] = [:]
        var tries: [TaskKey: [TaskTry]] = [:]
        var xcoms: [TaskKey: [String: [UInt8]]] = [:]
        var factoryInputs: [RunKey: [String: [UInt8]]] = [:]
        var pools: [String: PoolRecord] = [PoolRecord.defaultPool.name: .defaultPool]
        var leases: [RunKey: RunLease] = [:]
        var schedulers: [ProcessIdentity] = []
    }

    let contents = Locked(Contents())

    public init() {}

    public func syncDAGs(_ dags: [DAGEntry]) throws {
        contents.withLock { c in
            for dag in dags where c.dags[dag.dagId] == nil {
                c.dags[dag.dagId] = DAGEntry(dagId: dag.dagId, isPaused: dag.isPaused)
            }
        }
    }

    public func dagEntries() throws -> [DAGEntry] {
        contents.withLock { c in c.dags.values.sorted { $0.dagId < $1.dagId } }
    }

    public func setPaused(_ dagId: String, _ paused: Bool) throws -> Bool {
        contents.withLock { c in
            guard c.dags[dagId] != nil else { return false }
            c.dags[dagId]!.isPaused = paused
            return true
        }
    }

    public func setLastScheduledInterval(_ dagId: String, _ interval: DataInterval) throws {
        contents.withLock { c in
            guard let entry = c.dags[dagId] else { return }
            if let last = entry.lastScheduledInterval, last.start >= interval.start { return }
            c.dags[dagId]!.lastScheduledInterval = interval
        }
    }

    public func createRun(_ run: DAGRun, instances: [TaskInstance]) throws {
        try contents.withLock { c in
            if c.runs[run.key] != nil { throw StoreError.duplicateRun(run.key) }
            c.runs[run.key] = run
            c.runOrder.append(run.key)
            c.instances[run.key] = Dictionary(instances.map { ($0.taskId, $0) }, uniquingKeysWith: { $1 })
        }
    }

    public func run(_ key: RunKey) throws -> DAGRun? { contents.withLock { $0.runs[key] } }

    public func runs(_ query: RunQuery) throws -> [DAGRun] {
        contents.withLock { c in
            var result = c.runOrder.reversed().compactMap { c.runs[$0] }.filter { run in
                (query.dagId == nil || run.dagId == query.dagId)
                    && (query.runId == nil || run.runId == query.runId)
                    && (query.states?.contains(run.state) ?? true)
                    && (query.runTypes?.contains(run.runType) ?? true)
            }
            result.sort { $0.logicalDate > $1.logicalDate }
            if let limit = query.limit { result = Array(result.prefix(limit)) }
            return result
        }
    }

    public func taskInstances(run: RunKey) throws -> [TaskInstance] {
        contents.withLock { c in (c.instances[run] ?? [:]).values.sorted { $0.taskId < $1.taskId } }
    }

    public func taskInstance(run: RunKey, taskId: String) throws -> TaskInstance? {
        contents.withLock { $0.instances[run]?[taskId] }
    }

    public func tries(run: RunKey, taskId: String) throws -> [TaskTry] {
        contents.withLock { $0.tries[TaskKey(run, taskId)] ?? [] }
    }

    public func xcom(run: RunKey, taskId: String, key: String) throws -> [UInt8]? {
        contents.withLock { $0.xcoms[TaskKey(run, taskId)]?[key] }
    }

    public func factoryInputs(run: RunKey) throws -> [String: [UInt8]] {
        contents.withLock { $0.factoryInputs[run] ?? [:] }
    }

    public func commit(_ batch: StateBatch) throws {
        contents.withLock { c in
            for run in batch.runs {
                if c.runs[run.key] == nil { c.runOrder.append(run.key) }
                c.runs[run.key] = run
            }
            for key in batch.clearedXComs { c.xcoms[key] = nil }
            for instance in batch.instances { c.instances[instance.runKey, default: [:]][instance.taskId] = instance }
            for entry in batch.tries {
                let key = TaskKey(RunKey(entry.dagId, entry.runId), entry.taskId)
                var list = c.tries[key] ?? []
                list.removeAll { $0.tryNumber == entry.tryNumber }
                list.append(entry)
                list.sort { $0.tryNumber < $1.tryNumber }
                c.tries[key] = list
            }
            for entry in batch.xcoms { c.xcoms[TaskKey(entry.run, entry.taskId), default: [:]][entry.key] = entry.value }
            for entry in batch.factoryInputs { c.factoryInputs[entry.run, default: [:]][entry.factoryId] = entry.input }
        }
    }

    public func pools() throws -> [PoolRecord] {
        contents.withLock { $0.pools.values.sorted { $0.name < $1.name } }
    }

    public func setPool(_ pool: PoolRecord) throws {
        contents.withLock { c in
            var updated = pool
            if updated.description.isEmpty { updated.description = c.pools[pool.name]?.description ?? "" }
            c.pools[pool.name] = updated
        }
    }

    public func acquireLease(run: RunKey, owner: ProcessIdentity, now: Date,
                             isAlive: @Sendable (ProcessIdentity) -> Bool) throws -> LeaseOutcome {
        contents.withLock { c in
            if let holder = c.leases[run]?.owner {
                if holder == owner { return .acquired(previousOwner: nil) }
                if isAlive(holder) { return .heldBy(holder) }
                c.leases[run] = RunLease(run: run, owner: owner, acquiredAt: now)
                return .acquired(previousOwner: holder)
            }
            c.leases[run] = RunLease(run: run, owner: owner, acquiredAt: now)
            return .acquired(previousOwner: nil)
        }
    }

    public func releaseLease(run: RunKey, owner: ProcessIdentity) throws {
        contents.withLock { c in if c.leases[run]?.owner == owner { c.leases[run] = nil } }
    }

    public func leases() throws -> [RunLease] { contents.withLock { Array($0.leases.values) } }

    public func registerScheduler(_ owner: ProcessIdentity, now: Date) throws {
        contents.withLock { c in if !c.schedulers.contains(owner) { c.schedulers.append(owner) } }
    }

    public func unregisterScheduler(_ owner: ProcessIdentity) throws {
        contents.withLock { c in c.schedulers.removeAll { $0 == owner } }
    }

    public func schedulers() throws -> [ProcessIdentity] { contents.withLock { $0.schedulers } }

    public func deleteRuns(endedBefore date: Date) throws -> [DAGRun] {
        contents.withLock { c in
            let old = c.runs.values.filter { $0.state.isTerminal && ($0.endDate.map { $0 < date } ?? false) }
            for run in old {
                c.runs[run.key] = nil
                c.runOrder.removeAll { $0 == run.key }
                c.instances[run.key] = nil
                c.factoryInputs[run.key] = nil
                c.leases[run.key] = nil
                for key in c.tries.keys where key.run == run.key { c.tries[key] = nil }
                for key in c.xcoms.keys where key.run == run.key { c.xcoms[key] = nil }
            }
            return old.sorted { $0.runId < $1.runId }
        }
    }
}
