import Foundation
import GRDB
import UpdraftCore

extension SQLiteStateStore {
    public func gridCounts(dagId: String, runIds: [String], within group: String?, taskLimit: Int) async throws -> GridCounts {
        guard !runIds.isEmpty else { return GridCounts(counts: [], moreTasks: false) }
        let runs = "(" + Array(repeating: "?", count: runIds.count).joined(separator: ",") + ")"
        // Groups below the scope: streamed in order from the index (dag_id, run_id, group_id, state).
        let groupFilter = group == nil ? "group_id IS NOT NULL" : "group_id >= ? AND group_id < ?"
        var groupArguments = StatementArguments([dagId]) + StatementArguments(runIds)
        if let group { groupArguments += [group + ".", group + "/"] }
        // The scope's own tasks: the first `taskLimit` ids (one more to know whether others exist).
        let tasksSQL = """
            SELECT run_id, task_id, state FROM task_instance
            WHERE dag_id = ? AND run_id IN \(runs) AND group_id IS ? AND task_id IN (
                SELECT DISTINCT task_id FROM task_instance
                WHERE dag_id = ? AND run_id IN \(runs) AND group_id IS ? ORDER BY task_id LIMIT ?)
            """
        var taskArguments = StatementArguments([dagId])
        taskArguments += StatementArguments(runIds)
        taskArguments += [group, dagId]
        taskArguments += StatementArguments(runIds)
        taskArguments += [group, taskLimit + 1]
        return try read { db in
            var grouped: [(runId: String, group: String, state: TaskState, count: Int)] = []
            let groupRows = try Row.fetchCursor(
                try db.cachedStatement(
                    sql:
                        "SELECT run_id, group_id, state, count(*) FROM task_instance WHERE dag_id = ? AND run_id IN \(runs) AND \(groupFilter) GROUP BY 1, 2, 3"
                ), arguments: groupArguments)
            while let row = try groupRows.next() {
                let state: String = row[2]
                grouped.append((row[0], row[1], TaskState(rawValue: state) ?? .none, row[3]))
            }
            var counts = GridCounts.rolledUp(grouped, within: group)
            var ids: Set<String> = []
            let taskRows = try Row.fetchCursor(try db.cachedStatement(sql: tasksSQL), arguments: taskArguments)
            var tasks: [GridCount] = []
            while let row = try taskRows.next() {
                let state: String = row[2]
                let taskId: String = row[1]
                ids.insert(taskId)
                tasks.append(GridCount(runId: row[0], rowId: taskId, isGroup: false, state: TaskState(rawValue: state) ?? .none, count: 1))
            }
            var more = false
            if ids.count > taskLimit {
                more = true
                let last = ids.max()!
                tasks.removeAll { $0.rowId == last }
            }
            counts += tasks
            return GridCounts(counts: counts, moreTasks: more)
        }
    }

    /// `PRAGMA data_version` of the writer connection (it moves when another process commits)
    /// with this process's own commits counted beside it.
    public func changeStamp() async throws -> Int64 {
        let external = try await pool.writeWithoutTransaction { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        return external &* 1_000_003 &+ localCommits.withLock { $0 }
    }
}
