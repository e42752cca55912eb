import Foundation
import UpdraftCore
import UpdraftStore

extension Engine {
    /// The live process that owns the run, if any.
    public func liveOwner(of run: RunKey) async throws -> ProcessIdentity? {
        let now = clock.now
        return try await store.leases().first { $0.run == run && $0.expiresAt >= now && $0.owner.isAlive }?.owner
    }

    /// Edits a run while holding its lease, so no owner runs it meanwhile; throws `runOwned` otherwise.
    /// The edit's writes carry the lease as their fence.
    func editing<T>(_ key: RunKey, _ body: (DAGRun, DAG, LeaseToken) async throws -> T) async throws -> T {
        guard let run = try await store.run(key) else { throw RuntimeError.unknownRun(key) }
        let dag = try registry.dag(run.dagId)
        let lease = try await acquireLease(key)
        let result: T
        do { result = try await body(run, dag, lease) } catch {
            // The edit's error is the one thrown; a failed release is written to the run's log.
            do { try await store.releaseLease(lease) } catch let release {
                home.appendRunLog(
                    dagId: key.dagId, runId: key.runId,
                    "could not release the lease after an edit failed (\(error)): \(release)", now: clock.now)
            }
            throw error
        }
        try await store.releaseLease(lease)
        return result
    }

    /// Resets the tasks to `none` (their next try gets a new try number and full retries) and
    /// queues the run again. Returns the ids cleared; the audit log gets a `clear` by `owner`.
    @discardableResult
    public func clear(
        run key: RunKey, taskIds: [String], downstream: Bool = false, upstream: Bool = false,
        failedOnly: Bool = false, owner: String? = nil
    ) async throws -> [String] {
        let cleared = try await clearTasks(
            run: key, taskIds: taskIds, downstream: downstream, upstream: upstream, failedOnly: failedOnly)
        try await audit(
            AuditEvent.clear, owner: owner, dagId: key.dagId, runId: key.runId,
            taskId: taskIds.count == 1 ? taskIds[0] : nil, extra: ["task_ids": .array(cleared.map(JSONValue.string))])
        return cleared
    }

    private func clearTasks(
        run key: RunKey, taskIds: [String], downstream: Bool, upstream: Bool, failedOnly: Bool
    ) async throws -> [String] {
        try await clear(run: key, taskIds: taskIds, downstream: downstream, upstream: upstream, failedOnly: failedOnly, backfillId: nil)
    }

    /// `clear`; with `backfillId`, the run is re-run by that backfill: it is tagged with it in the
    /// same commit, and a run that is not terminal, or already the backfill's, is left as it is.
    func clear(
        run key: RunKey, taskIds: [String], downstream: Bool, upstream: Bool, failedOnly: Bool, backfillId: Int64?
    ) async throws -> [String] {
        try await editing(key) { run, dag, lease in
            if let backfillId, run.backfillId == backfillId || !run.state.isTerminal { return [] }
            let instances = try await store.taskInstances(run: key)
            let byId = Dictionary(instances.map { ($0.taskId, $0) }, uniquingKeysWith: { $1 })
            for id in taskIds where byId[id] == nil { throw RuntimeError.unknownTask(dag: dag.id, task: id) }
            let graph = try DAGRegistry.expandedGraph(
                of: dag, params: try dag.resolveParams(run.conf),
                factoryInputs: try await store.factoryInputs(run: key))
            var selected = Set(taskIds)
            if downstream {
                // Past a group's edge too: what waits on the groups holding the task runs again.
                let starts = taskIds + taskIds.flatMap { Engine.factoryAncestors(of: $0, in: graph) }
                selected.formUnion(Engine.reachable(from: starts, edges: graph.downstream()))
            }
            if upstream {
                let edges = Dictionary(graph.nodes.map { ($0.id, $0.upstream) }, uniquingKeysWith: { $1 })
                selected.formUnion(Engine.reachable(from: taskIds, edges: edges))
            }
            // Children of a cleared factory are cleared with it.
            for id in Array(selected) where graph[id]?.isFactory == true {
                selected.formUnion(instances.map(\.taskId).filter { $0.hasPrefix(id + ".") })
            }
            var batch = StateBatch()
            batch.fence = lease
            var cleared: [String] = []
            for id in selected.sorted() {
                guard var instance = byId[id], graph[id]?.isFactory != true else { continue }
                if failedOnly && !instance.state.isFailure { continue }
                instance.state = .none
                instance.failedTries = 0
                instance.startDate = nil; instance.endDate = nil; instance.nextRetryAt = nil; instance.error = nil
                batch.instances.append(instance)
                batch.clearedXComs.append(TaskKey(key, id))
                cleared.append(id)
            }
            // Groups above a cleared task are open again until their children finish.
            for id in Set(cleared.flatMap { Engine.factoryAncestors(of: $0, in: graph) }) {
                guard var instance = byId[id] else { continue }
                instance.state = .running
                instance.endDate = nil
                batch.instances.append(instance)
            }
            if !cleared.isEmpty {
                var updated = run
                updated.state = .queued
                updated.endDate = nil
                updated.backfillId = backfillId ?? run.backfillId
                batch.runs.append(updated)
            }
            try await store.commit(batch)
            return cleared
        }
    }

    /// Sets tasks (and, with `downstream`, everything after them) to `success` or `failed`; the
    /// audit log gets a `mark_task_instance_<state>` by `owner`.
    @discardableResult
    public func markTask(
        run key: RunKey, taskId: String, state: TaskState, downstream: Bool = false, owner: String? = nil
    ) async throws -> [String] {
        guard state == .success || state == .failed else { throw RuntimeError.badRequest("mark a task success or failed") }
        let marked = try await markTasks(run: key, taskId: taskId, state: state, downstream: downstream)
        try await audit(
            AuditEvent.markTaskInstance(state), owner: owner, dagId: key.dagId, runId: key.runId, taskId: taskId,
            extra: ["task_ids": .array(marked.map(JSONValue.string))])
        return marked
    }

    private func markTasks(run key: RunKey, taskId: String, state: TaskState, downstream: Bool) async throws -> [String] {
        try await editing(key) { run, dag, lease in
            let instances = try await store.taskInstances(run: key)
            let byId = Dictionary(instances.map { ($0.taskId, $0) }, uniquingKeysWith: { $1 })
            guard byId[taskId] != nil else { throw RuntimeError.unknownTask(dag: dag.id, task: taskId) }
            var selected: Set<String> = [taskId]
            if downstream {
                let graph = try DAGRegistry.expandedGraph(
                    of: dag, params: try dag.resolveParams(run.conf),
                    factoryInputs: try await store.factoryInputs(run: key))
                selected.formUnion(Engine.reachable(from: [taskId], edges: graph.downstream()))
            }
            var batch = StateBatch()
            batch.fence = lease
            let now = clock.now
            for id in selected.sorted() {
                guard var instance = byId[id] else { continue }
                instance.state = state
                instance.endDate = now
                instance.nextRetryAt = nil
                batch.instances.append(instance)
            }
            let remaining = instances.contains { !selected.contains($0.taskId) && !$0.state.isTerminal }
            if remaining && run.state.isTerminal {
                var updated = run
                updated.state = .queued
                updated.endDate = nil
                batch.runs.append(updated)
            }
            try await store.commit(batch)
            return selected.sorted()
        }
    }

    /// Cancels a run that has not ended: its running tries stop, the rest is skipped, it ends
    /// failed. A finished run is refused (`badRequest`), so a success is never turned into a failure.
    /// The audit log gets a `cancel_dag_run` by `owner`.
    public func cancel(run key: RunKey, owner: String? = nil) async throws -> ProcessIdentity? {
        guard let run = try await store.run(key) else { throw RuntimeError.unknownRun(key) }
        if run.state.isTerminal {
            throw RuntimeError.badRequest(
                "run '\(key.runId)' of DAG '\(key.dagId)' already ended \(run.state.rawValue); "
                    + "nothing to cancel (use `runs mark` to change a finished run's state)")
        }
        let liveOwner = try await endRun(key, state: .failed)
        try await audit(AuditEvent.cancelDAGRun, owner: owner, dagId: key.dagId, runId: key.runId, logicalDate: run.logicalDate)
        return liveOwner
    }

    /// Deletes a run and its logs (Airflow's `DELETE …/dagRuns/{id}`); refuses (`runOwned`) while a
    /// live process executes it. Written to the audit log as `delete_dag_run`.
    public func deleteRun(_ key: RunKey, owner: String?) async throws {
        if let live = try await liveOwner(of: key), live != .current {
            throw RuntimeError.runOwned(key, "\(live)")
        }
        guard try await store.deleteRun(key) else { throw RuntimeError.unknownRun(key) }
        // The run is gone from the store; a log folder left behind is only disk space (db clean reports those).
        try? FileManager.default.removeItem(atPath: home.runLogFolder(dagId: key.dagId, runId: key.runId))
        _ = try await audit(AuditEvent.deleteDAGRun, owner: owner, dagId: key.dagId, runId: key.runId)
    }

    /// Ends a run: `success` marks unfinished tasks success; `failed` skips them.
    /// A run owned by a live process is marked failed in the store and its owner is told to stop.
    /// The audit log gets a `mark_dag_run_<state>` by `owner`.
    public func markRun(run key: RunKey, state: RunState, owner: String? = nil) async throws -> ProcessIdentity? {
        let liveOwner = try await endRun(key, state: state)
        try await audit(AuditEvent.markDAGRun(state), owner: owner, dagId: key.dagId, runId: key.runId)
        return liveOwner
    }

    /// `markRun` without the audit entry; returns the live owner told to stop, if any.
    private func endRun(_ key: RunKey, state: RunState) async throws -> ProcessIdentity? {
        guard state.isTerminal else { throw RuntimeError.badRequest("mark a run success or failed") }
        if state == .failed, let owner = try await liveOwner(of: key), owner != .current {
            guard var run = try await store.run(key) else { throw RuntimeError.unknownRun(key) }
            run.state = .failed
            run.endDate = clock.now
            var batch = StateBatch()  // the live owner stops on the change; no fence of ours
            batch.runs = [run]
            try await store.commit(batch)
            return owner
        }
        try await editing(key) { run, _, lease in
            var batch = StateBatch()
            batch.fence = lease
            let now = clock.now
            for var instance in try await store.taskInstances(run: key) where !instance.state.isTerminal {
                instance.state = state == .success ? .success : .skipped
                instance.endDate = now
                batch.instances.append(instance)
            }
            var updated = run
            updated.state = state
            updated.endDate = now
            if updated.startDate == nil { updated.startDate = now }
            batch.runs = [updated]
            try await store.commit(batch)
        }
        return nil
    }

    static func reachable(from starts: [String], edges: [String: [String]]) -> Set<String> {
        var seen: Set<String> = []
        var stack = starts
        while let id = stack.popLast() {
            for next in edges[id] ?? [] where seen.insert(next).inserted { stack.append(next) }
        }
        return seen
    }

    /// Factory ids enclosing a task, innermost last.
    static func factoryAncestors(of taskId: String, in graph: TaskGraph) -> [String] {
        var result: [String] = []
        var current = graph[taskId]?.factory
        while let id = current {
            result.append(id)
            current = graph[id]?.factory
        }
        return result
    }
}
