/// The nodes being declared by a builder and its nested groups (used only while building).
final class GraphStorage {
    let defaults: TaskOptions
    /// The factory being expanded, or nil while building a DAG.
    let factory: String?
    /// Most nodes kept: past it, nodes are counted in `dropped` but not stored, so a runaway
    /// factory is caught without growing (the expansion then fails with the count).
    let capacity: Int
    private(set) var nodes: [TaskNode] = []
    private(set) var dropped = 0
    private(set) var groups: [String] = []
    private var index: [String: Int] = [:]

    init(defaults: TaskOptions, factory: String?, capacity: Int = .max) {
        self.defaults = defaults
        self.factory = factory
        self.capacity = capacity
    }

    func add(_ node: TaskNode) {
        guard nodes.count < capacity else { dropped += 1; return }
        if index[node.id] == nil { index[node.id] = nodes.count }
        nodes.append(node)
    }

    func addGroup(_ id: String) { groups.append(id) }

    func addEdge(from upstream: String, to downstream: String) {
        guard let position = index[downstream], !nodes[position].upstream.contains(upstream) else { return }
        nodes[position].upstream.append(upstream)
    }

    /// Nodes whose id starts with `prefix.`.
    func members(of group: String) -> [TaskNode] {
        let prefix = group + "."
        return nodes.filter { $0.id.hasPrefix(prefix) }
    }
}
