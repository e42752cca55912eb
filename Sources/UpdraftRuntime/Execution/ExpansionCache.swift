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
    /// Graphs kept (most recently used first).
    static let capacity = 8

    /// The node for `taskId`, rebuilding (once) the factories on its path from their inputs.
    func node(
        _ taskId: String, run: RunKey, dag: DAG, params: [String: JSONValue],
        factoryInputs: [String: [UInt8]]
    ) throws -> TaskNode {
        if factoryInputs.isEmpty, let node = dag.graph[taskId] { return node }
        let key = Key(run: run, inputs: factoryInputs)
        let graph = try self.graph(key, dag: dag, params: params)
        guard let node = graph[taskId] else { throw RuntimeError.unknownTask(dag: dag.id, task: taskId) }
        return node
    }

    /// Keeps the graph a build just made (`factoryId` expanded from `input` into `nodes`), so
    /// that this worker's first try of the group finds it instead of building it again.
    func keep(
        _ nodes: [TaskNode], builtBy factoryId: String, from input: [UInt8], run: RunKey, dag: DAG,
        params: [String: JSONValue], factoryInputs: [String: [UInt8]]
    ) {
        // Only a cache: an outer expansion that fails to rebuild here fails again, with its
        // error, in the try that needs it.
        guard
            var graph = factoryInputs.isEmpty
                ? dag.graph : try? self.graph(Key(run: run, inputs: factoryInputs), dag: dag, params: params)
        else { return }
        graph.append(nodes)
        var inputs = factoryInputs
        inputs[factoryId] = input
        insert(graph, Key(run: run, inputs: inputs))
    }

    /// The cached graph for `key`, else the DAG's graph with the key's expansions rebuilt. The
    /// run's owner validated every stored expansion before it asked for a try of it: no checks.
    private func graph(_ key: Key, dag: DAG, params: [String: JSONValue]) throws -> TaskGraph {
        let hit = graphs.withLock { cache -> TaskGraph? in
            guard let position = cache.firstIndex(where: { $0.key == key }) else { return nil }
            // Most recently used first: a group whose tries still run stays while others come and go.
            let entry = cache.remove(at: position)
            cache.insert(entry, at: 0)
            return entry.graph
        }
        if let hit { return hit }
        let graph = try DAGRegistry.expandedGraph(of: dag, params: params, factoryInputs: key.inputs, validating: false)
        insert(graph, key)
        return graph
    }

    private func insert(_ graph: TaskGraph, _ key: Key) {
        graphs.withLock { cache in
            cache.removeAll { $0.key == key }
            cache.insert((key, graph), at: 0)
            if cache.count > Self.capacity { cache.removeLast() }
        }
    }
}
