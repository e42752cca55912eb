import Foundation
import Logging
import PostgresNIO
import UpdraftCore
import UpdraftStore

extension PostgresStateStore {
    public func recordEvent(_ event: EventLogRecord) async throws -> Int64 {
        let row = try await rows(
            """
            INSERT INTO log(dttm, event, owner, dag_id, run_id, task_id, try_number, map_index, logical_date, extra)
            VALUES (\(event.when.timeIntervalSince1970), \(event.event), \(event.owner), \(event.dagId), \(event.runId),
                \(event.taskId), \(event.tryNumber), \(event.mapIndex), \(event.logicalDate?.timeIntervalSince1970), \(event.extra))
            RETURNING id
            """
        ).first
        guard let id = try row?.decode(Int64.self) else { throw StoreError.database("no id for the new audit log entry") }
        return id
    }

    public func eventLogs(_ query: EventLogQuery) async throws -> (records: [EventLogRecord], total: Int) {
        let (column, descending) = try query.order()
        var sql = SQLBuilder()
        var clauses: [String] = []
        let equal: [(String, String?)] = [
            ("dag_id", query.dagId), ("task_id", query.taskId), ("run_id", query.runId), ("event", query.event),
            ("owner", query.owner),
        ]
        for (name, value) in equal {
            guard let value else { continue }
            clauses.append("\(name) = \(sql.bind(value))")
        }
        if let before = query.before { clauses.append("dttm < \(sql.bind(before.timeIntervalSince1970))") }
        if let after = query.after { clauses.append("dttm > \(sql.bind(after.timeIntervalSince1970))") }
        let filter = SQLBuilder.whereClause(clauses)
        let direction = SQLBuilder.direction(descending: descending)
        return try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { connection in
            var count = sql
            count.text = "SELECT COUNT(*) FROM log" + filter
            let total = try await connection.query(count.query, logger: logger).collect().first?.decode(Int.self) ?? 0
            var page = sql
            page.text = """
                SELECT id, dttm, event, owner, dag_id, run_id, task_id, try_number, map_index, logical_date, extra FROM log\(filter) \
                ORDER BY \(column) \(direction), id \(direction)\(SQLBuilder.page(limit: query.limit, offset: query.offset))
                """
            let records = try await connection.query(page.query, logger: logger).collect().map { row in
                let (id, when, event, owner, dagId, runId, taskId, tryNumber, mapIndex, logical, extra) = try row.decode(
                    (Int64, Double, String, String?, String?, String?, String?, Int?, Int?, Double?, String?).self)
                return EventLogRecord(
                    id: id, when: when.date, event: event, owner: owner, dagId: dagId, runId: runId, taskId: taskId,
                    tryNumber: tryNumber, mapIndex: mapIndex, logicalDate: logical.date, extra: extra)
            }
            return (records, total)
        }
    }

    public func deleteEventLogs(before date: Date) async throws -> Int {
        try await rows("DELETE FROM log WHERE dttm < \(date.timeIntervalSince1970) RETURNING 1").count
    }

    public func syncDAGVersions(_ hashes: [String: String], now: Date) async throws -> [String: DAGVersionRecord] {
        // Every command opens the engine: when no structure changed (the usual case) a read answers.
        let current = try await latestVersions(of: Array(hashes.keys))
        if hashes.allSatisfy({ current[$0.key]?.structureHash == $0.value }) { return current }
        return try await transaction { connection in
            // Writers of versions take turns (two processes starting with a changed DAG add one version).
            try await connection.query("LOCK TABLE dag_version IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            var latest = try await Self.latestVersions(of: Array(hashes.keys), connection, logger)
            for (dagId, hash) in hashes.sorted(by: { $0.key < $1.key }) where latest[dagId]?.structureHash != hash {
                let version = DAGVersionRecord(
                    id: UUID().uuidString.lowercased(), dagId: dagId, versionNumber: (latest[dagId]?.versionNumber ?? 0) + 1,
                    structureHash: hash, createdAt: now)
                try await connection.query(
                    """
                    INSERT INTO dag_version(id, dag_id, version_number, structure_hash, created_at)
                    VALUES (\(version.id), \(dagId), \(version.versionNumber), \(hash), \(now.timeIntervalSince1970))
                    """, logger: logger)
                latest[dagId] = version
            }
            return latest
        }
    }

    static let versionColumns = "id, dag_id, version_number, structure_hash, created_at"

    func latestVersions(of dagIds: [String]) async throws -> [String: DAGVersionRecord] {
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { connection in
            try await Self.latestVersions(of: dagIds, connection, logger)
        }
    }

    /// The newest version of each of these DAGs that has one.
    static func latestVersions(
        of dagIds: [String], _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [String: DAGVersionRecord] {
        var result: [String: DAGVersionRecord] = [:]
        guard !dagIds.isEmpty else { return result }
        for row in try await connection.query(
            """
            SELECT DISTINCT ON (dag_id) \(unescaped: versionColumns) FROM dag_version WHERE dag_id = ANY(\(dagIds))
            ORDER BY dag_id, version_number DESC
            """, logger: logger
        ).collect() {
            let version = try Self.version(from: row)
            result[version.dagId] = version
        }
        return result
    }

    static func version(from row: PostgresRow) throws -> DAGVersionRecord {
        let (id, dagId, number, hash, created) = try row.decode((String, String, Int, String, Double).self)
        return DAGVersionRecord(id: id, dagId: dagId, versionNumber: number, structureHash: hash, createdAt: created.date)
    }

    public func dagVersions(dagId: String) async throws -> [DAGVersionRecord] {
        try await rows(
            "SELECT \(unescaped: Self.versionColumns) FROM dag_version WHERE dag_id = \(dagId) ORDER BY version_number"
        ).map(Self.version(from:))
    }

    public func dagVersion(id: String) async throws -> DAGVersionRecord? {
        try await rows("SELECT \(unescaped: Self.versionColumns) FROM dag_version WHERE id = \(id)").first.map(Self.version(from:))
    }

    // MARK: Backfills

    /// The partial unique index `backfill_active_dag` decides between two creators at once.
    public func createBackfill(_ backfill: BackfillRecord) async throws -> BackfillRecord {
        let conf = String(decoding: try XComCoding.encode(backfill.dagRunConf), as: UTF8.self)
        return try await transaction { connection in
            let row = try await connection.query(
                """
                INSERT INTO backfill(dag_id, from_date, to_date, run_backwards, dag_run_conf, reprocess_behavior,
                    max_active_runs, is_paused, triggering_user_name, created_at, updated_at, completed_at)
                VALUES (\(backfill.dagId), \(backfill.fromDate.timeIntervalSince1970), \(backfill.toDate.timeIntervalSince1970),
                    \(backfill.runBackwards), \(conf), \(backfill.reprocessBehavior.rawValue), \(backfill.maxActiveRuns),
                    \(backfill.isPaused), \(backfill.triggeringUserName), \(backfill.createdAt.timeIntervalSince1970),
                    \(backfill.updatedAt.timeIntervalSince1970), \(backfill.completedAt?.timeIntervalSince1970))
                ON CONFLICT (dag_id) WHERE completed_at IS NULL DO NOTHING RETURNING id
                """, logger: logger
            ).collect().first
            guard let row else {
                let active = try await connection.query(
                    "SELECT id FROM backfill WHERE dag_id = \(backfill.dagId) AND completed_at IS NULL", logger: logger
                ).collect().first?.decode(Int64.self)
                throw StoreError.activeBackfill(dagId: backfill.dagId, id: active ?? 0)
            }
            var created = backfill
            created.id = try row.decode(Int64.self)
            return created
        }
    }

    static let backfillColumns = """
        id, dag_id, from_date, to_date, run_backwards, dag_run_conf, reprocess_behavior, max_active_runs, is_paused, \
        triggering_user_name, created_at, updated_at, completed_at
        """

    /// A backfill from its row; a conf or reprocess behaviour that does not parse is an error naming it.
    static func backfill(from row: PostgresRow) throws -> BackfillRecord {
        let (id, dagId, from, to, backwards, confText, behaviour, maxActive, paused, user, created, updated, completed) =
            try row.decode((Int64, String, Double, Double, Bool, String, String, Int, Bool, String?, Double, Double, Double?).self)
        let conf = try XComCoding.decode(
            [String: JSONValue].self, from: Array(confText.utf8), source: "dag_run_conf of backfill \(id) in the state store")
        guard let reprocess = ReprocessBehavior(rawValue: behaviour) else {
            throw StoreError.database("backfill \(id) has reprocess_behavior '\(behaviour)' (expected none, failed or completed)")
        }
        return BackfillRecord(
            id: id, dagId: dagId, fromDate: from.date, toDate: to.date, runBackwards: backwards, dagRunConf: conf,
            reprocessBehavior: reprocess, maxActiveRuns: maxActive, isPaused: paused, createdAt: created.date,
            updatedAt: updated.date, completedAt: completed.date, triggeringUserName: user)
    }

    public func backfill(id: Int64) async throws -> BackfillRecord? {
        try await rows("SELECT \(unescaped: Self.backfillColumns) FROM backfill WHERE id = \(id)").first.map(Self.backfill(from:))
    }

    public func backfills(dagId: String?, activeOnly: Bool) async throws -> [BackfillRecord] {
        var sql = SQLBuilder("SELECT \(Self.backfillColumns) FROM backfill")
        var clauses: [String] = []
        if let dagId { clauses.append("dag_id = \(sql.bind(dagId))") }
        if activeOnly { clauses.append("completed_at IS NULL") }
        sql += SQLBuilder.whereClause(clauses) + " ORDER BY id"
        return try await rows(sql.query).map(Self.backfill(from:))
    }

    public func updateBackfill(_ backfill: BackfillRecord) async throws {
        let conf = String(decoding: try XComCoding.encode(backfill.dagRunConf), as: UTF8.self)
        let updated = try await rows(
            """
            UPDATE backfill SET from_date = \(backfill.fromDate.timeIntervalSince1970), to_date = \(backfill.toDate.timeIntervalSince1970),
                run_backwards = \(backfill.runBackwards), dag_run_conf = \(conf), reprocess_behavior = \(backfill.reprocessBehavior.rawValue),
                max_active_runs = \(backfill.maxActiveRuns), is_paused = \(backfill.isPaused),
                triggering_user_name = \(backfill.triggeringUserName), updated_at = \(backfill.updatedAt.timeIntervalSince1970),
                completed_at = \(backfill.completedAt?.timeIntervalSince1970)
            WHERE id = \(backfill.id) RETURNING 1
            """)
        if updated.isEmpty { throw StoreError.unknownBackfill(backfill.id) }
    }
}
