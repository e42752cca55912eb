import UpdraftCore

/// Groups of a graph and a run's instances: static groups, factories (whose id is their group's)
/// and the groups instances name, each with its parent, found on the dots of their ids.
struct GroupHierarchy {
    private var groups: Set<String> = []
    private var factories: Set<String> = []
    private var counts: [String: Int] = [:]

    init(graph: TaskGraph, instances: [TaskInstance]) {
        groups.formUnion(graph.groups)
        for node in graph.nodes {
            if node.isFactory { factories.insert(node.id); groups.insert(node.id) }
            if let group = node.group { groups.insert(group) }
        }
        for instance in instances {
            if instance.kind == "factory" { factories.insert(instance.taskId); groups.insert(instance.taskId) }
            if let group = instance.group { groups.insert(group) }
        }
        // Tasks under each group (the largest of the graph's and the run's count).
        var fromGraph: [String: Int] = [:]
        var fromRun: [String: Int] = [:]
        for node in graph.nodes where !node.isFactory { add(node.group, to: &fromGraph) }
        for instance in instances where instance.kind != "factory" { add(instance.group, to: &fromRun) }
        counts = fromGraph.merging(fromRun) { max($0, $1) }
    }

    private func add(_ group: String?, to counts: inout [String: Int]) {
        var current = group
        while let g = current {
            counts[g, default: 0] += 1
            current = parent(of: g)
        }
    }

    /// The group enclosing `group` (the longest dotted prefix that is a group).
    func parent(of group: String?) -> String? {
        guard var path = group else { return nil }
        while let dot = path.lastIndex(of: ".") {
            path = String(path[..<dot])
            if groups.contains(path) { return path }
        }
        return nil
    }

    func isFactory(_ group: String) -> Bool { factories.contains(group) }

    /// Tasks (not factories) inside `group` at any depth.
    func taskCount(_ group: String) -> Int { counts[group] ?? 0 }

    /// The innermost factory on a group's path (the group itself included).
    func owningFactory(of group: String?) -> String? {
        var current = group
        while let g = current {
            if factories.contains(g) { return g }
            current = parent(of: g)
        }
        return nil
    }
}
