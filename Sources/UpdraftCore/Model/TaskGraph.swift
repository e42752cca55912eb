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
        var index: [String: Int] = [:]
        for (position, node) in nodes.enumerated() where index[node.id] == nil { index[node.id] = position }
        self.index = index
    }

    /// The node with this full id.
    public subscript(id: String) -> TaskNode? { index[id].map { nodes[$0] } }

    /// Adds the nodes of a factory expansion.
    public mutating func append(_ expansion: [TaskNode]) {
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
        var seen: Set<String> = []
        for node in nodes {
            if !seen.insert(node.id).inserted { problems.append(.duplicateId(node.id)) }
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

    /// The first cycle found, as a closed path (`a >> b >> a`), or nil.
    func findCycle() -> [String]? {
        let downstream = downstream()
        var color: [String: UInt8] = [:]  // 1 visiting, 2 done
        for start in nodes where color[start.id] == nil {
            var stack: [(id: String, next: Int)] = [(start.id, 0)]
            color[start.id] = 1
            while let top = stack.last {
                let children = downstream[top.id] ?? []
                if top.next < children.count {
                    stack[stack.count - 1].next += 1
                    let child = children[top.next]
                    switch color[child] {
                    case 1:
                        let path = stack.map(\.id)
                        let from = path.firstIndex(of: child) ?? 0
                        return Array(path[from...]) + [child]
                    case 2: continue
                    default:
                        color[child] = 1
                        stack.append((child, 0))
                    }
                } else {
                    color[top.id] = 2
                    stack.removeLast()
                }
            }
        }
        return nil
    }
}
