import Foundation
import UpdraftCore
import UpdraftStore

extension Engine {
    /// The DAG's graph for a stored run, with its factory expansions.
    public func graph(of run: DAGRun) async throws -> TaskGraph {
        let dag = try registry.dag(run.dagId)
        // For display: a conf that no longer fits the params still shows the graph with defaults.
        return try DAGRegistry.expandedGraph(
            of: dag, params: (try? dag.resolveParams(run.conf)) ?? [:],
            factoryInputs: try await store.factoryInputs(run: run.key))
    }

    /// The run a user names by run id, and by DAG id when several DAGs have a run with that id.
    public func resolveRun(_ runId: String, dagId: String? = nil) async throws -> DAGRun {
        if let dagId {
            guard let run = try await store.run(RunKey(dagId, runId)) else { throw RuntimeError.unknownRun(RunKey(dagId, runId)) }
            return run
        }
        let matches = try await store.runs(RunQuery(runId: runId))
        guard let first = matches.first else { throw RuntimeError.unknownRunId(runId) }
        if matches.count > 1 { throw RuntimeError.ambiguousRun(runId, matches.map(\.dagId).sorted()) }
        return first
    }

    /// Every readiness rule's verdict for one task (`tasks why`).
    public func why(run key: RunKey, taskId: String) async throws -> [ReadinessCheck] {
        guard let run = try await store.run(key) else { throw RuntimeError.unknownRun(key) }
        let dag = try registry.dag(run.dagId)
        let instances = try await store.taskInstances(run: key)
        let byId = Dictionary(instances.map { ($0.taskId, $0) }, uniquingKeysWith: { $1 })
        guard let instance = byId[taskId] else { throw RuntimeError.unknownTask(dag: dag.id, task: taskId) }
        let node = try await graph(of: run)[taskId]
        let upstream = (node?.upstream ?? []).map { (id: $0, state: byId[$0]?.state ?? .none) }
        let pool = try await store.pools().first { $0.name == instance.pool }
        let active = instances.filter { $0.state.isActive }
        let used = active.filter { $0.pool == instance.pool }.reduce(0) { $0 + $1.poolSlots }
        let hasOwner = try await liveOwner(of: key) != nil
        let owned = if hasOwner { true } else { try await liveScheduler() != nil }
        let snapshot = ReadinessSnapshot(
            task: instance, runState: run.state, triggerRule: node?.options.triggerRule ?? .allSuccess,
            upstream: upstream, poolSlots: pool?.slots, poolSlotsUsed: used,
            activeTasksInRun: active.count, maxActiveTasks: dag.maxActiveTasks, hasLiveOwner: owned, now: clock.now)
        return ReadinessRules.evaluate(snapshot)
    }

    /// Tells a live scheduler to look for work now; false when none is alive.
    @discardableResult
    public func wakeScheduler() async -> Bool {
        // Best effort: a scheduler that is not woken finds the work at its next pass.
        guard let scheduler = try? await liveScheduler() else { return false }
        return WakeUpSignal.send(to: scheduler)
    }
}
