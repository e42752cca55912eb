/// The nodes of a DAG (or of one factory expansion), in declaration order.
public struct TaskGraph: Sendable {
    public private(set) var nodes: [TaskNode]
    /// Full ids of the static groups, in declaration order.
    public private(set) var groups: [String]
    private var index: [String: Int]

    /// A graph of `nodes` (the first of duplicate ids wins lookups; `validate` reports them).
    public init(nodes: [TaskNode], groups: [String] = []) {
        self.nodes = nodes
        self.groups = groups
        var index: [String: Int] = Dictionary(minimumCapacity: nodes.count)
        for (position, node) in nodes.enumerated() where index[node.id] == nil { index[node.id] = position }
        self.index = index
    }

    /// The node with this full id.
    public subscript(id: String) -> TaskNode? { index[id].map { nodes[$0] } }

    /// Adds the nodes of a factory expansion.
    public mutating func append(_ expansion: [TaskNode]) {
        // The index only: a dictionary grows by doubling whatever it is asked for; an array
        // asked for its exact size would copy every node at each of many small expansions.
        index.reserveCapacity(index.count + expansion.count)
        for node in expansion where index[node.id] == nil {
            index[node.id] = nodes.count
            nodes.append(node)
        }
    }

    /// Direct downstream ids of every node.
    public func downstream() -> [String: [String]] {
        var result: [String: [String]] = [:]
        for node in nodes { for up in node.upstream { result[up, default: []].append(node.id) } }
        return result
    }

    /// Problems: duplicate ids, bad ids, unknown dependencies, cycles (each cycle names its tasks).
    public func validate(externalIds: Set<String>) -> [GraphError] {
        var problems: [GraphError] = []
        // `index` keeps the first node of an id: with fewer entries than nodes, a later one is a duplicate.
        let hasDuplicates = index.count != nodes.count
        for (position, node) in nodes.enumerated() {
            if hasDuplicates, index[node.id] != position { problems.append(.duplicateId(node.id)) }
            if !TaskGraph.isValidLocalId(node.localId) { problems.append(.badId(node.localId)) }
            for up in node.upstream where index[up] == nil && !externalIds.contains(up) {
                problems.append(.unknownDependency(task: node.id, dependency: up))
            }
        }
        if let cycle = findCycle() { problems.append(.cycle(cycle)) }
        return problems
    }

    /// Letters, digits, `_` and `-`.
    public static func isValidLocalId(_ id: String) -> Bool {
        !id.isEmpty
            && id.utf8.allSatisfy { byte in
                (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                    || byte == 95 || byte == 45
            }
    }

    /// The first cycle found, as a closed path (`a >> b >> a`), or nil. Walks positions, not
    /// ids: a 10,000-node expansion without edges costs no hashing here. The edges of a later
    /// node with a duplicate id are not followed (the duplicate is a problem of its own).
    func findCycle() -> [String]? {
        var downstream = [[Int]](repeating: [], count: nodes.count)
        var edges = 0
        for (position, node) in nodes.enumerated() where index[node.id] == position {
            for up in node.upstream { if let from = index[up] { downstream[from].append(position); edges += 1 } }
        }
        guard edges > 0 else { return nil }
        var color = [UInt8](repeating: 0, count: nodes.count)  // 1 visiting, 2 done
        for start in nodes.indices where color[start] == 0 && index[nodes[start].id] == start {
            var stack: [(position: Int, next: Int)] = [(start, 0)]
            color[start] = 1
            while let top = stack.last {
                let children = downstream[top.position]
                if top.next < children.count {
                    stack[stack.count - 1].next += 1
                    let child = children[top.next]
                    switch color[child] {
                    case 1:
                        let path = stack.map(\.position)
                        let from = path.firstIndex(of: child) ?? 0
                        return (path[from...] + [child]).map { nodes[$0].id }
                    case 2: continue
                    default:
                        color[child] = 1
                        stack.append((child, 0))
                    }
                } else {
                    color[top.position] = 2
                    stack.removeLast()
                }
            }
        }
        return nil
    }
}
