import Foundation
import UpdraftCore

/// The state store in memory, for tests and `tasks test`; behaves like `SQLiteStateStore`.
public final class MemoryStateStore: StateStore {
    struct Contents {
        var dags: [String: Bool] = [:]
        var runs: [String: DAGRun] = [:]
        var runOrder: [String] = []
        var instances: [String: [String: TaskInstance]] = [:]
        var tries: [TaskKey: [TaskTry]] = [:]
        var xcoms: [TaskKey: [String: [UInt8]]] = [:]
        var factoryInputs: [String: [String: [UInt8]]] = [:]
        var pools: [String: PoolRecord] = [PoolRecord.defaultPool.name: .defaultPool]
        var leases: [String: RunLease] = [:]
        var schedulers: [ProcessIdentity] = []
    }

    let contents = Locked(Contents())

    public init() {}

    public func syncDAGs(_ dags: [DAGEntry]) throws {
        contents.withLock { c in for dag in dags where c.dags[dag.dagId] == nil { c.dags[dag.dagId] = dag.isPaused } }
    }

    public func dagEntries() throws -> [DAGEntry] {
        contents.withLock { c in c.dags.map { DAGEntry(dagId: $0.key, isPaused: $0.value) }.sorted { $0.dagId < $1.dagId } }
    }

    public func setPaused(_ dagId: String, _ paused: Bool) throws -> Bool {
        contents.withLock { c in
            guard c.dags[dagId] != nil else { return false }
            c.dags[dagId] = paused
            return true
        }
    }

    public func createRun(_ run: DAGRun, instances: [TaskInstance]) throws {
        try contents.withLock { c in
            if c.runs[run.runId] != nil { throw StoreError.duplicateRun(run.runId) }
            c.runs[run.runId] = run
            c.runOrder.append(run.runId)
            c.instances[run.runId] = Dictionary(instances.map { ($0.taskId, $0) }, uniquingKeysWith: { $1 })
        }
    }

    public func run(_ runId: String) throws -> DAGRun? { contents.withLock { $0.runs[runId] } }

    public func runs(_ query: RunQuery) throws -> [DAGRun] {
        contents.withLock { c in
            var result = c.runOrder.reversed().compactMap { c.runs[$0] }.filter { run in
                (query.dagId == nil || run.dagId == query.dagId)
                    && (query.states?.contains(run.state) ?? true)
                    && (query.runTypes?.contains(run.runType) ?? true)
            }
            result.sort { $0.logicalDate > $1.logicalDate }
            if let limit = query.limit { result = Array(result.prefix(limit)) }
            return result
        }
    }

    public func taskInstances(runId: String) throws -> [TaskInstance] {
        contents.withLock { c in (c.instances[runId] ?? [:]).values.sorted { $0.taskId < $1.taskId } }
    }

    public func taskInstance(runId: String, taskId: String) throws -> TaskInstance? {
        contents.withLock { $0.instances[runId]?[taskId] }
    }

    public func tries(runId: String, taskId: String) throws -> [TaskTry] {
        contents.withLock { $0.tries[TaskKey(runId, taskId)] ?? [] }
    }

    public func xcom(runId: String, taskId: String, key: String) throws -> [UInt8]? {
        contents.withLock { $0.xcoms[TaskKey(runId, taskId)]?[key] }
    }

    public func factoryInputs(runId: String) throws -> [String: [UInt8]] {
        contents.withLock { $0.factoryInputs[runId] ?? [:] }
    }

    public func commit(_ batch: StateBatch) throws {
        contents.withLock { c in
            for run in batch.runs {
                if c.runs[run.runId] == nil { c.runOrder.append(run.runId) }
                c.runs[run.runId] = run
            }
            for key in batch.clearedXComs { c.xcoms[key] = nil }
            for instance in batch.instances { c.instances[instance.runId, default: [:]][instance.taskId] = instance }
            for entry in batch.tries {
                var list = c.tries[TaskKey(entry.runId, entry.taskId)] ?? []
                list.removeAll { $0.tryNumber == entry.tryNumber }
                list.append(entry)
                list.sort { $0.tryNumber < $1.tryNumber }
                c.tries[TaskKey(entry.runId, entry.taskId)] = list
            }
            for entry in batch.xcoms { c.xcoms[TaskKey(entry.runId, entry.taskId), default: [:]][entry.key] = entry.value }
            for entry in batch.factoryInputs { c.factoryInputs[entry.runId, default: [:]][entry.factoryId] = entry.input }
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

    public func acquireLease(runId: String, owner: ProcessIdentity, now: Date,
                             isAlive: @Sendable (ProcessIdentity) -> Bool) throws -> LeaseOutcome {
        contents.withLock { c in
            if let holder = c.leases[runId]?.owner {
                if holder == owner { return .acquired(previousOwner: nil) }
                if isAlive(holder) { return .heldBy(holder) }
                c.leases[runId] = RunLease(runId: runId, owner: owner, acquiredAt: now)
                return .acquired(previousOwner: holder)
            }
            c.leases[runId] = RunLease(runId: runId, owner: owner, acquiredAt: now)
            return .acquired(previousOwner: nil)
        }
    }

    public func releaseLease(runId: String, owner: ProcessIdentity) throws {
        contents.withLock { c in if c.leases[runId]?.owner == owner { c.leases[runId] = nil } }
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
                c.runs[run.runId] = nil
                c.runOrder.removeAll { $0 == run.runId }
                c.instances[run.runId] = nil
                c.factoryInputs[run.runId] = nil
                c.leases[run.runId] = nil
                for key in c.tries.keys where key.runId == run.runId { c.tries[key] = nil }
                for key in c.xcoms.keys where key.runId == run.runId { c.xcoms[key] = nil }
            }
            return old.sorted { $0.runId < $1.runId }
        }
    }
}
