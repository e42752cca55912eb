import UpdraftCore
import UpdraftStore

/// Graphs of recent runs with their factory expansions, keyed by run and the factory inputs
/// used, so a worker rebuilds a group once rather than once per task of the group.
final class ExpansionCache: Sendable {
    private struct Key: Hashable {
        var run: RunKey
        var inputs: [String: [UInt8]]
    }

    private let graphs = Locked<[(key: Key, graph: TaskGraph)]>([])
    /// Graphs kept (most recent first).
    static let capacity = 8

    /// The node for `taskId`, rebuilding (once) the factories on its path from their inputs.
    func node(
        _ taskId: String, run: RunKey, dag: DAG, params: [String: JSONValue],
        factoryInputs: [String: [UInt8]]
    ) throws -> TaskNode {
        if factoryInputs.isEmpty, let node = dag.graph[taskId] { return node }
        let key = Key(run: run, inputs: factoryInputs)
        if let graph = graphs.withLock({ $0.first { $0.key == key }?.graph }), let node = graph[taskId] { return node }
        let graph = try DAGRegistry.expandedGraph(of: dag, params: params, factoryInputs: factoryInputs)
        graphs.withLock { cache in
            cache.insert((key, graph), at: 0)
            if cache.count > Self.capacity { cache.removeLast() }
        }
        guard let node = graph[taskId] else { throw RuntimeError.unknownTask(dag: dag.id, task: taskId) }
        return node
    }
}
