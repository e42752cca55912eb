import Foundation
import UpdraftCore

/// The rows of a grid for some runs (``StateStore/gridCounts(dagId:runIds:within:taskLimit:)``).
public struct GridCounts: Sendable, Hashable {
    public var counts: [GridCount]
    /// Tasks beyond the limit were left out.
    public var moreTasks: Bool

    public init(counts: [GridCount], moreTasks: Bool) { self.counts = counts; self.moreTasks = moreTasks }

    /// The child-group row of each `group_id` count inside `scope`, summed.
    public static func rolledUp(
        _ rows: [(runId: String, group: String, state: TaskState, count: Int)], within scope: String?
    ) -> [GridCount] {
        var sums: [GridCount: Int] = [:]
        for row in rows {
            guard let key = GridCount.row(taskId: "", taskGroup: row.group, within: scope), key.isGroup else { continue }
            sums[GridCount(runId: row.runId, rowId: key.id, isGroup: true, state: row.state, count: 0), default: 0] += row.count
        }
        return sums.map { key, count in
            var entry = key
            entry.count = count
            return entry
        }
    }
}

/// One row of a grid (a task, or a group of tasks rolled up) in one run: how many of its task
/// instances are in each state.
public struct GridCount: Sendable, Hashable {
    public var runId: String
    /// The task's full id, or the group's full id.
    public var rowId: String
    /// The row stands for a group (a static group or a factory's expansion).
    public var isGroup: Bool
    public var state: TaskState
    public var count: Int

    public init(runId: String, rowId: String, isGroup: Bool, state: TaskState, count: Int) {
        self.runId = runId; self.rowId = rowId; self.isGroup = isGroup; self.state = state; self.count = count
    }

    /// The row a task instance belongs to when the direct children of `group` (nil: the top
    /// level) are shown: the task itself, or the child group that holds it; nil when the task is
    /// outside `group`.
    public static func row(taskId: String, taskGroup: String?, within group: String?) -> (id: String, isGroup: Bool)? {
        guard let group else {
            guard let taskGroup else { return (taskId, false) }
            let end = taskGroup.firstIndex(of: ".") ?? taskGroup.endIndex
            return (String(taskGroup[..<end]), true)
        }
        guard let taskGroup else { return nil }
        if taskGroup == group { return (taskId, false) }
        guard taskGroup.hasPrefix(group + ".") else { return nil }
        let rest = taskGroup.dropFirst(group.count + 1)
        let end = rest.firstIndex(of: ".") ?? rest.endIndex
        return (group + "." + rest[..<end], true)
    }
}
