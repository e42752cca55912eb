import Foundation
import GRDB
import UpdraftCore

extension SQLiteStateStore {
    public func gridCounts(runIds: [String], within group: String?) async throws -> [GridCount] {
        guard !runIds.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: runIds.count).joined(separator: ",")
        // The row key: at the top level the task (no group) or the first segment of its group;
        // inside group G the task (group = G) or G plus the next segment of its group.
        let sql: String
        var arguments = StatementArguments(runIds)
        if let group {
            sql = """
                SELECT run_id, CASE WHEN group_id = ?1 THEN task_id
                    ELSE ?1 || '.' || CASE WHEN instr(substr(group_id, length(?1) + 2), '.') > 0
                        THEN substr(substr(group_id, length(?1) + 2), 1, instr(substr(group_id, length(?1) + 2), '.') - 1)
                        ELSE substr(group_id, length(?1) + 2) END END AS row_id,
                    group_id <> ?1 AS is_group, state, count(*)
                FROM task_instance
                WHERE run_id IN (\(Array(repeating: "?", count: runIds.count).enumerated().map { "?\($0.offset + 2)" }.joined(separator: ",")))
                    AND (group_id = ?1 OR substr(group_id, 1, length(?1) + 1) = ?1 || '.')
                GROUP BY 1, 2, 3, 4
                """
            arguments = StatementArguments([group] + runIds)
        } else {
            sql = """
                SELECT run_id, CASE WHEN group_id IS NULL THEN task_id
                    WHEN instr(group_id, '.') > 0 THEN substr(group_id, 1, instr(group_id, '.') - 1)
                    ELSE group_id END AS row_id,
                    group_id IS NOT NULL AS is_group, state, count(*)
                FROM task_instance WHERE run_id IN (\(placeholders))
                GROUP BY 1, 2, 3, 4
                """
        }
        return try read { db in
            let rows = try Row.fetchCursor(try db.cachedStatement(sql: sql), arguments: arguments)
            var counts: [GridCount] = []
            while let row = try rows.next() {
                let state: String = row[3]
                counts.append(
                    GridCount(
                        runId: row[0], rowId: row[1], isGroup: row[2], state: TaskState(rawValue: state) ?? .none, count: row[4]))
            }
            return counts
        }
    }

    /// `PRAGMA data_version` of the writer connection (it moves when another process commits)
    /// with this process's own commits counted beside it.
    public func changeStamp() async throws -> Int64 {
        let external = try await pool.writeWithoutTransaction { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        return external &* 1_000_003 &+ localCommits.withLock { $0 }
    }
}
