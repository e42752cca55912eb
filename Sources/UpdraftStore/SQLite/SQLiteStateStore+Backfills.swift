import Foundation
import GRDB
import UpdraftCore

extension SQLiteStateStore {
    public func createBackfill(_ backfill: BackfillRecord) async throws -> BackfillRecord {
        let conf = String(decoding: try XComCoding.encode(backfill.dagRunConf), as: UTF8.self)
        return try write { db in
            // The check and the insert share one transaction; the partial unique index
            // `backfill_active_dag` is the backstop.
            if let active = try Int64.fetchOne(
                db, sql: "SELECT id FROM backfill WHERE dag_id = ? AND completed_at IS NULL",
                arguments: [backfill.dagId])
            {
                throw StoreError.activeBackfill(dagId: backfill.dagId, id: active)
            }
            try db.execute(
                sql: """
                    INSERT INTO backfill(dag_id, from_date, to_date, run_backwards, dag_run_conf, reprocess_behavior,
                        max_active_runs, is_paused, triggering_user_name, created_at, updated_at, completed_at)
                    VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
                    """,
                arguments: [
                    backfill.dagId, backfill.fromDate.timeIntervalSince1970, backfill.toDate.timeIntervalSince1970,
                    backfill.runBackwards, conf, backfill.reprocessBehavior.rawValue, backfill.maxActiveRuns,
                    backfill.isPaused, backfill.triggeringUserName, backfill.createdAt.timeIntervalSince1970,
                    backfill.updatedAt.timeIntervalSince1970, backfill.completedAt?.timeIntervalSince1970,
                ])
            var created = backfill
            created.id = db.lastInsertedRowID
            return created
        }
    }

    public func backfill(id: Int64) async throws -> BackfillRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM backfill WHERE id = ?", arguments: [id]).map(Self.backfill(from:))
        }
    }

    public func backfills(dagId: String?, activeOnly: Bool) async throws -> [BackfillRecord] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let dagId { clauses.append("dag_id = ?"); arguments += [dagId] }
        if activeOnly { clauses.append("completed_at IS NULL") }
        var sql = "SELECT * FROM backfill"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY id"
        return try read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.backfill(from:)) }
    }

    public func updateBackfill(_ backfill: BackfillRecord) async throws {
        let conf = String(decoding: try XComCoding.encode(backfill.dagRunConf), as: UTF8.self)
        try write { db in
            try db.execute(
                sql: """
                    UPDATE backfill SET from_date = ?, to_date = ?, run_backwards = ?, dag_run_conf = ?,
                        reprocess_behavior = ?, max_active_runs = ?, is_paused = ?, triggering_user_name = ?,
                        updated_at = ?, completed_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    backfill.fromDate.timeIntervalSince1970, backfill.toDate.timeIntervalSince1970,
                    backfill.runBackwards, conf, backfill.reprocessBehavior.rawValue, backfill.maxActiveRuns,
                    backfill.isPaused, backfill.triggeringUserName, backfill.updatedAt.timeIntervalSince1970,
                    backfill.completedAt?.timeIntervalSince1970, backfill.id,
                ])
            if db.changesCount == 0 { throw StoreError.unknownBackfill(backfill.id) }
        }
    }

    /// A backfill from its row; a conf or reprocess behaviour that does not parse (a row edited
    /// by hand) is an error naming the backfill.
    static func backfill(from row: Row) throws -> BackfillRecord {
        let id: Int64 = row["id"]
        let confText: String = row["dag_run_conf"]
        let conf = try XComCoding.decode(
            [String: JSONValue].self, from: Array(confText.utf8), source: "dag_run_conf of backfill \(id) in the state store")
        let behaviour: String = row["reprocess_behavior"]
        guard let reprocess = ReprocessBehavior(rawValue: behaviour) else {
            throw StoreError.database(
                "backfill \(id) has reprocess_behavior '\(behaviour)' (expected none, failed or completed)")
        }
        return BackfillRecord(
            id: id, dagId: row["dag_id"], fromDate: Date(timeIntervalSince1970: row["from_date"]),
            toDate: Date(timeIntervalSince1970: row["to_date"]), runBackwards: row["run_backwards"],
            dagRunConf: conf, reprocessBehavior: reprocess, maxActiveRuns: row["max_active_runs"],
            isPaused: row["is_paused"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            updatedAt: Date(timeIntervalSince1970: row["updated_at"]),
            completedAt: (row["completed_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            triggeringUserName: row["triggering_user_name"])
    }
}
