import Foundation
import UpdraftCore
import UpdraftStore

extension Engine {
    /// The DAG's graph for a stored run, with its factory expansions.
    public func graph(of run: DAGRun) throws -> TaskGraph {
        let dag = try registry.dag(run.dagId)
        return try DAGRegistry.expandedGraph(of: dag, params: (try? dag.resolveParams(run.conf)) ?? [:],
                                             factoryInputs: try store.factoryInputs(run: run.key))
    }

    /// The run a user names by run id, and by DAG id when several DAGs have a run with that id.
    public func resolveRun(_ runId: String, dagId: String? = nil) throws -> DAGRun {
        if let dagId {
            guard let run = try store.run(RunKey(dagId, runId)) else { throw RuntimeError.unknownRun(RunKey(dagId, runId)) }
            return run
        }
        let matches = try store.runs(RunQuery(runId: runId))
        guard let first = matches.first else { throw RuntimeError.unknownRunId(runId) }
        if matches.count > 1 { throw RuntimeError.ambiguousRun(runId, matches.map(\.dagId).sorted()) }
        return first
    }

    /// Every readiness rule's verdict for one task (`tasks why`).
    public func why(run key: RunKey, taskId: String) throws -> [ReadinessCheck] {
        guard let run = try store.run(key) else { throw RuntimeError.unknownRun(key) }
        let dag = try registry.dag(run.dagId)
        let instances = try store.taskInstances(run: key)
        let byId = Dictionary(instances.map { ($0.taskId, $0) }, uniquingKeysWith: { $1 })
        guard let instance = byId[taskId] else { throw RuntimeError.unknownTask(dag: dag.id, task: taskId) }
        let node = try graph(of: run)[taskId]
        let upstream = (node?.upstream ?? []).map { (id: $0, state: byId[$0]?.state ?? .none) }
        let pool = try store.pools().first { $0.name == instance.pool }
        let active = instances.filter { TaskState.active.contains($0.state) }
        let used = active.filter { $0.pool == instance.pool }.reduce(0) { $0 + $1.poolSlots }
        let owned = try liveOwner(of: key) != nil || liveScheduler() != nil
        let snapshot = ReadinessSnapshot(
            task: instance, runState: run.state, triggerRule: node?.options.triggerRule ?? .allSuccess,
            upstream: upstream, poolSlots: pool?.slots, poolSlotsUsed: used,
            activeTasksInRun: active.count, maxActiveTasks: dag.maxActiveTasks, hasLiveOwner: owned, now: clock.now)
        return ReadinessRules.evaluate(snapshot)
    }

    /// Tells a live scheduler to look for work now; false when none is alive.
    @discardableResult
    public func wakeScheduler() -> Bool {
        guard let scheduler = try? liveScheduler() else { return false }
        return WakeUpSignal.send(to: scheduler)
    }
}
