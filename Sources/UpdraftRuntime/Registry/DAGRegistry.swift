import UpdraftCore

/// The DAGs a binary ships, by id; workers find tasks here by DAG and task id.
///
/// ```swift
/// let registry = try DAGRegistry([etl, reports])   // throws naming every invalid DAG
/// ```
public struct DAGRegistry: Sendable {
    public private(set) var dags: [String: DAG] = [:]
    /// DAG ids in registration order.
    public private(set) var ids: [String] = []

    /// Registers `dags`; throws on a duplicate DAG id or a DAG with problems (cycle, bad cron…).
    public init(_ dags: [DAG]) throws(RuntimeError) {
        for dag in dags { try register(dag) }
    }

    public mutating func register(_ dag: DAG) throws(RuntimeError) {
        if !dag.problems.isEmpty { throw .invalidDAG(dag.id, dag.problems.map(\.description)) }
        if dags[dag.id] != nil { throw .invalidDAG(dag.id, ["duplicate DAG id"]) }
        dags[dag.id] = dag
        ids.append(dag.id)
    }

    public func dag(_ id: String) throws(RuntimeError) -> DAG {
        guard let dag = dags[id] else { throw .unknownDAG(id) }
        return dag
    }

    /// The DAG's graph with every stored factory expansion applied (outer factories first).
    public static func expandedGraph(
        of dag: DAG, params: [String: JSONValue],
        factoryInputs: [String: [UInt8]]
    ) throws -> TaskGraph {
        var graph = dag.graph
        var remaining = factoryInputs
        var progressed = true
        while !remaining.isEmpty && progressed {
            progressed = false
            for id in remaining.keys.sorted(by: { $0.count < $1.count }) {
                guard let node = graph[id], case .factory(let factory) = node.kind else { continue }
                graph.append(
                    try factory.expand(
                        factoryId: id, input: remaining[id]!, params: params,
                        defaults: dag.defaults))
                remaining[id] = nil
                progressed = true
            }
        }
        return graph
    }

    /// The node for `taskId`, rebuilding the factories on its path from their stored inputs.
    public static func resolve(
        _ taskId: String, in dag: DAG, params: [String: JSONValue],
        factoryInputs: [String: [UInt8]]
    ) throws -> TaskNode {
        if let node = dag.graph[taskId] { return node }
        var graph = dag.graph
        let parts = taskId.split(separator: ".")
        for length in 1..<max(1, parts.count) {
            let prefix = parts[0..<length].joined(separator: ".")
            guard let node = graph[prefix], case .factory(let factory) = node.kind,
                let input = factoryInputs[prefix]
            else { continue }
            graph.append(try factory.expand(factoryId: prefix, input: input, params: params, defaults: dag.defaults))
        }
        guard let node = graph[taskId] else { throw RuntimeError.unknownTask(dag: dag.id, task: taskId) }
        return node
    }
}
