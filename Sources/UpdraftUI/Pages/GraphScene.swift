import UpdraftCore

/// What the Graph page draws: the visible nodes (tasks, collapsed groups), the boxes of expanded
/// groups and the edges between visible nodes, built from a DAG's graph (with the factory
/// expansions of a run applied, if any) and a run's task instances. Pure.
///
/// A static group or a factory is collapsed unless its id is in `expanded`: its tasks are then one
/// node with their count and rolled-up state, and edges into and out of it attach to that node
/// (deduplicated). Expanded, its members sit in a box; an expanded factory shows its own node
/// (it runs first, expanding the group) with edges to the expansion's first tasks, and edges that
/// leave the factory leave from the expansion's last tasks.
///
/// ```swift
/// let scene = GraphScene(graph: dag.graph, instances: instances, expanded: ["per_coin"])
/// ```
struct GraphScene {
    enum Kind: Equatable { case task, branch, factory, group, factoryGroup }

    struct Node {
        /// The task's or group's full id.
        var id: String
        /// The id inside the enclosing box.
        var label: String
        var kind: Kind
        /// The box holding it, if any.
        var box: Int?
        /// The task's state, or the group's rolled-up state, in the chosen run.
        var state: TaskState?
        /// Tasks inside a collapsed group (factory tasks not counted).
        var taskCount: Int = 0
        /// State counts of a collapsed group's tasks in the chosen run.
        var counts: [TaskState: Int] = [:]
        var isGroup: Bool { kind == .group || kind == .factoryGroup }
    }

    struct Box {
        var id: String
        var label: String
        var parent: Int?
        var isFactory: Bool
        var taskCount: Int
    }

    private(set) var nodes: [Node] = []
    private(set) var boxes: [Box] = []
    private(set) var edges: [(Int, Int)] = []

    init(graph: TaskGraph, instances: [TaskInstance], expanded: Set<String>) {
        let hierarchy = GroupHierarchy(graph: graph, instances: instances)
        let byId = Dictionary(instances.map { ($0.taskId, $0) }, uniquingKeysWith: { _, last in last })

        // Every node of the graph, then instances the graph does not know (a collapsed expansion).
        struct Member {
            var id: String
            var group: String?
            var kind: Kind
            var upstream: [String]
            var factory: String?
        }
        var members: [Member] = []
        var known = Set<String>()
        for node in graph.nodes where known.insert(node.id).inserted {
            let kind: Kind =
                switch node.kind {
                case .task: .task
                case .branch: .branch
                case .factory: .factory
                }
            members.append(Member(id: node.id, group: node.group, kind: kind, upstream: node.upstream, factory: node.factory))
        }
        for instance in instances where known.insert(instance.taskId).inserted {
            let kind: Kind = instance.kind == "factory" ? .factory : instance.kind == "branch" ? .branch : .task
            members.append(
                Member(
                    id: instance.taskId, group: instance.group, kind: kind, upstream: [],
                    factory: hierarchy.owningFactory(of: instance.group)))
        }

        // The topmost collapsed group on a group's path, nil when it and its ancestors are expanded.
        var collapsedRoot: [String: String?] = [:]
        func collapsed(_ group: String?) -> String? {
            guard let group else { return nil }
            if let known = collapsedRoot[group] { return known }
            let result = collapsed(hierarchy.parent(of: group)) ?? (expanded.contains(group) ? nil : group)
            collapsedRoot[group] = .some(result)
            return result
        }

        var index: [String: Int] = [:]  // visible node by id (task or group)
        var boxIndex: [String: Int] = [:]
        func box(_ group: String?) -> Int? {
            guard let group else { return nil }
            if let known = boxIndex[group] { return known }
            let parent = box(hierarchy.parent(of: group))
            let label = hierarchy.parent(of: group).map { String(group.dropFirst($0.count + 1)) } ?? group
            boxes.append(
                Box(
                    id: group, label: label, parent: parent, isFactory: hierarchy.isFactory(group),
                    taskCount: hierarchy.taskCount(group)))
            boxIndex[group] = boxes.count - 1
            return boxes.count - 1
        }
        func visible(_ id: String, label: String, kind: Kind, box: Int?) -> Int {
            if let known = index[id] { return known }
            nodes.append(Node(id: id, label: label, kind: kind, box: box))
            index[id] = nodes.count - 1
            return nodes.count - 1
        }
        func localLabel(_ id: String, in group: String?) -> String {
            guard let group, id.hasPrefix(group + ".") else { return id }
            return String(id.dropFirst(group.count + 1))
        }

        // The visible node each member is drawn as.
        var drawnAs: [String: Int] = [:]
        for member in members {
            // A factory is the group of its expansion: collapsed with it, or the first node of its box.
            let ownGroup = member.kind == .factory ? member.id : member.group
            if let root = collapsed(ownGroup) {
                let parent = hierarchy.parent(of: root)
                let kind: Kind = hierarchy.isFactory(root) ? .factoryGroup : .group
                let node = visible(root, label: localLabel(root, in: parent), kind: kind, box: box(parent))
                drawnAs[member.id] = node
                if member.kind == .factory, member.id == root {
                    nodes[node].state = byId[member.id]?.state
                } else if member.kind != .factory {
                    nodes[node].taskCount += 1
                    if let state = byId[member.id]?.state { nodes[node].counts[state, default: 0] += 1 }
                }
            } else {
                let holder = box(ownGroup)
                let node = visible(member.id, label: localLabel(member.id, in: ownGroup), kind: member.kind, box: holder)
                nodes[node].state = byId[member.id]?.state
                drawnAs[member.id] = node
            }
        }
        for i in nodes.indices where nodes[i].isGroup {
            let rolled = StateStyle.rollup(nodes[i].counts)
            if let own = nodes[i].state, own.isFailure || !own.isTerminal || rolled == nil {
                continue  // a factory that failed, or has not expanded yet, shows its own state
            }
            nodes[i].state = rolled
        }

        // Edges: declared ones, factory → first tasks of its expansion, last tasks → the factory's downstream.
        var factoryMembers: [String: [Member]] = [:]
        for member in members { if let factory = member.factory { factoryMembers[factory, default: []].append(member) } }
        var leaves: [String: [String]] = [:]
        for (factory, inside) in factoryMembers where collapsed(factory) == nil {
            let ids = Set(inside.map(\.id))
            let upstreamInside = Set(inside.flatMap { $0.upstream.filter(ids.contains) })
            leaves[factory] = inside.map(\.id).filter { !upstreamInside.contains($0) }
        }
        var pairs = Set<[Int]>()
        func connect(_ from: String, _ to: String) {
            guard let a = drawnAs[from], let b = drawnAs[to], a != b, pairs.insert([a, b]).inserted else { return }
            edges.append((a, b))
        }
        for member in members {
            for up in member.upstream {
                if let last = leaves[up], !last.isEmpty { last.forEach { connect($0, member.id) } } else { connect(up, member.id) }
            }
            if let factory = member.factory, !member.upstream.contains(where: { drawnAs[$0] != nil && $0.hasPrefix(factory + ".") }) {
                connect(factory, member.id)
            }
        }
    }
}
