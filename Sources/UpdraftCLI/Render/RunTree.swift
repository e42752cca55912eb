import Foundation
import UpdraftCore

/// Task instances arranged as a tree of groups (static task groups and sub-DAG factory
/// groups, split on the dots of their ids) with per-group counts, start and end.
struct RunTree {
    struct Node {
        /// Label inside the parent (`load_2024_01`, `BTCUSDT`).
        var name: String
        /// Full dotted id.
        var path: String
        var isGroup: Bool
        /// The task instance row (for a group: the factory task carrying the group's id, if any).
        var row: Int?
        var children: [Int] = []
        var counts = StateCounts()
        var start: Date?
        var end: Date?
    }

    private(set) var nodes: [Node]
    private(set) var groupIndex: [String: Int]
    let rows: [RunTreeRow]

    static let root = 0

    init(rows: [RunTreeRow]) {
        self.rows = rows
        nodes = [Node(name: "", path: "", isGroup: true)]
        groupIndex = ["": Self.root]
        var groupPaths = Set<String>()
        for row in rows {
            guard var path = row.group, !path.isEmpty else { continue }
            while groupPaths.insert(path).inserted, let dot = path.lastIndex(of: ".") {
                path = String(path[..<dot])
            }
        }
        nodes.reserveCapacity(rows.count + groupPaths.count + 1)
        // Rows of one group come together: the last group's node and prefix are reused.
        var lastGroup: String?
        var parent = Self.root
        var prefix = ""
        for (index, row) in rows.enumerated() {
            if !groupPaths.isEmpty, groupPaths.contains(row.taskID) {
                nodes[group(row.taskID)].row = index
                continue
            }
            if row.group != lastGroup || index == 0 {
                lastGroup = row.group
                parent = group(row.group ?? "")
                prefix = nodes[parent].path.isEmpty ? "" : nodes[parent].path + "."
            }
            let name = !prefix.isEmpty && row.taskID.hasPrefix(prefix) ? String(row.taskID.dropFirst(prefix.count)) : row.taskID
            nodes.append(Node(name: name, path: row.taskID, isGroup: false, row: index))
            nodes[parent].children.append(nodes.count - 1)
        }
        aggregate(Self.root)
    }

    /// The node of group `path`, created with its ancestors on first use.
    private mutating func group(_ path: String) -> Int {
        if let index = groupIndex[path] { return index }
        let parentPath = path.lastIndex(of: ".").map { String(path[..<$0]) } ?? ""
        let parent = group(parentPath)
        let name = parentPath.isEmpty ? path : String(path.dropFirst(parentPath.count + 1))
        nodes.append(Node(name: name, path: path, isGroup: true))
        let index = nodes.count - 1
        nodes[parent].children.append(index)
        groupIndex[path] = index
        return index
    }

    private mutating func aggregate(_ index: Int) {
        if !nodes[index].isGroup, let row = nodes[index].row {
            // A task: its own state and times (most nodes of a large run).
            let state = rows[row].state
            nodes[index].counts.add(state)
            nodes[index].start = rows[row].startDate
            nodes[index].end = state.isTerminal ? rows[row].endDate : nil
            return
        }
        var counts = StateCounts()
        var start: Date?
        var end: Date?
        var finished = true
        if let row = nodes[index].row {
            start = rows[row].startDate
            end = rows[row].endDate
            counts.add(rows[row].state)
            finished = rows[row].state.isTerminal
        }
        for child in nodes[index].children {
            aggregate(child)
            let node = nodes[child]
            counts.add(node.counts)
            if let childStart = node.start { start = min(start ?? childStart, childStart) }
            if let childEnd = node.end { end = max(end ?? childEnd, childEnd) }
        }
        nodes[index].counts = counts
        nodes[index].start = start
        nodes[index].end = finished && counts.allTerminal ? end : nil
    }

    /// The state a node shows: a task's own; a group's factory task, or its tasks' roll-up.
    func state(of index: Int) -> TaskState {
        let node = nodes[index]
        if node.isGroup {
            let rolled = node.counts.rolledUp
            guard let row = node.row else { return rolled }
            let own = rows[row].state
            return own.isFailure || node.children.isEmpty || !own.isTerminal ? own : rolled
        }
        return rows[node.row!].state
    }

    /// All group ids, for error messages.
    var groupPaths: [String] { groupIndex.keys.filter { !$0.isEmpty }.sorted() }
}
