import Foundation
import UpdraftCore
import UpdraftStore

/// The grid of one DAG: runs as columns (oldest left, newest right), rows as the direct children
/// of a group (nil: the top level), each cell a task's state or a group's rolled-up counts.
public struct GridModel: Sendable {
    public struct Row: Sendable {
        public var id: String
        public var isGroup: Bool
        /// Counts per run id (a task row has one instance per run).
        public var cells: [String: [TaskState: Int]]
        /// Most task instances the group holds in one run (0 for a task row).
        public var size: Int
    }

    public var runs: [DAGRun]
    public var rows: [Row]
    /// Tasks of this scope beyond the row limit were left out.
    public var moreTasks: Bool

    /// The rows of `group`'s direct children for `runs`, in the DAG's declaration order (tasks
    /// and groups where they are first declared; groups built at run time after, by id).
    public static func load(
        dag: DAG, runs: [DAGRun], within group: String?, rowLimit: Int, store: any StateStore
    ) async throws
        -> GridModel
    {
        let grid = try await store.gridCounts(dagId: dag.id, runIds: runs.map(\.runId), within: group, taskLimit: rowLimit)
        let counts = grid.counts
        var rows: [String: Row] = [:]
        var members: [String: [String: Int]] = [:]
        for count in counts where count.isGroup { members[count.rowId, default: [:]][count.runId, default: 0] += count.count }
        for count in counts {
            // A factory's own instance and the group of its expansion share an id: one group row,
            // which shows the factory's state until the expansion has tasks in that run.
            if !count.isGroup, members[count.rowId]?[count.runId] != nil { continue }
            var row = rows[count.rowId] ?? Row(id: count.rowId, isGroup: count.isGroup, cells: [:], size: 0)
            row.isGroup = row.isGroup || count.isGroup
            row.cells[count.runId, default: [:]][count.state, default: 0] += count.count
            rows[count.rowId] = row
        }
        for (id, perRun) in members { rows[id]!.size = perRun.values.max() ?? 0 }
        // Declaration order, and rows of the code that no shown run has yet.
        var order: [String] = []
        var seen: Set<String> = []
        for node in dag.graph.nodes {
            guard let row = GridCount.row(taskId: node.id, taskGroup: node.group, within: group) else { continue }
            let isGroup = row.isGroup || node.isFactory
            // Past the row limit the store returned the first tasks by id: the others stay out
            // (behind the "more rows" link) rather than show as empty rows.
            if grid.moreTasks, !isGroup, rows[row.id] == nil { continue }
            if seen.insert(row.id).inserted {
                order.append(row.id)
                if rows[row.id] == nil { rows[row.id] = Row(id: row.id, isGroup: isGroup, cells: [:], size: 0) }
            }
            if node.isFactory { rows[row.id]!.isGroup = true }
        }
        for id in rows.keys.sorted() where !seen.contains(id) { order.append(id) }
        return GridModel(runs: runs, rows: order.compactMap { rows[$0] }, moreTasks: grid.moreTasks)
    }

    /// The newest `count` runs of `dagId` after skipping `offset` of the newest, oldest first.
    public static func runs(dagId: String, count: Int, offset: Int, store: any StateStore) async throws -> (runs: [DAGRun], total: Int) {
        var query = RunQuery(dagId: dagId, limit: count)
        query.offset = offset
        let page = try await store.runsPage(query)
        return (page.runs.reversed(), page.total)
    }
}
