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
    /// `validating: false` skips the checks of each expansion: for a worker rebuilding what
    /// the run's owner already expanded and validated.
    public static func expandedGraph(
        of dag: DAG, params: [String: JSONValue],
        factoryInputs: [String: [UInt8]], validating: Bool = true
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
                        defaults: dag.defaults, validating: validating))
                remaining[id] = nil
                progressed = true
            }
        }
        return graph
    }
}
