import Foundation
import GRDB
import UpdraftCore

extension SQLiteStateStore {
    public func recordEvent(_ event: EventLogRecord) async throws -> Int64 {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO log(dttm, event, owner, dag_id, run_id, task_id, try_number, map_index, logical_date,
                        extra) VALUES (?,?,?,?,?,?,?,?,?,?)
                    """,
                arguments: [
                    event.when.timeIntervalSince1970, event.event, event.owner, event.dagId, event.runId, event.taskId,
                    event.tryNumber, event.mapIndex, event.logicalDate?.timeIntervalSince1970, event.extra,
                ])
            return db.lastInsertedRowID
        }
    }

    public func eventLogs(_ query: EventLogQuery) async throws -> (records: [EventLogRecord], total: Int) {
        let (column, descending) = try query.order()
        var clauses: [String] = []
        var arguments: StatementArguments = []
        let equal: [(String, String?)] = [
            ("dag_id", query.dagId), ("task_id", query.taskId), ("run_id", query.runId), ("event", query.event),
            ("owner", query.owner),
        ]
        for (name, value) in equal {
            guard let value else { continue }
            clauses.append("\(name) = ?"); arguments += [value]
        }
        if let before = query.before { clauses.append("dttm < ?"); arguments += [before.timeIntervalSince1970] }
        if let after = query.after { clauses.append("dttm > ?"); arguments += [after.timeIntervalSince1970] }
        let filter = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        let direction = descending ? "DESC" : "ASC"
        let sql =
            "SELECT * FROM log" + filter + " ORDER BY \(column) \(direction), id \(direction)"
            + Self.page(limit: query.limit, offset: query.offset)
        return try read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM log" + filter, arguments: arguments) ?? 0
            let records = try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                EventLogRecord(
                    id: row["id"], when: Date(timeIntervalSince1970: row["dttm"]), event: row["event"],
                    owner: row["owner"], dagId: row["dag_id"], runId: row["run_id"], taskId: row["task_id"],
                    tryNumber: row["try_number"], mapIndex: row["map_index"],
                    logicalDate: (row["logical_date"] as Double?).map(Date.init(timeIntervalSince1970:)),
                    extra: row["extra"])
            }
            return (records, total)
        }
    }

    public func deleteEventLogs(before date: Date) async throws -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM log WHERE dttm < ?", arguments: [date.timeIntervalSince1970])
            return db.changesCount
        }
    }

    public func syncDAGVersions(_ hashes: [String: String], now: Date) async throws -> [String: DAGVersionRecord] {
        // Every command opens the engine: when no structure changed (the usual case) a read
        // answers, and no write lock is taken.
        let current = try read { db in try Self.latestVersions(of: Array(hashes.keys), db) }
        if hashes.allSatisfy({ current[$0.key]?.structureHash == $0.value }) { return current }
        return try write { db in
            var latest = try Self.latestVersions(of: Array(hashes.keys), db)
            for (dagId, hash) in hashes.sorted(by: { $0.key < $1.key }) where latest[dagId]?.structureHash != hash {
                let version = DAGVersionRecord(
                    id: UUID().uuidString.lowercased(), dagId: dagId,
                    versionNumber: (latest[dagId]?.versionNumber ?? 0) + 1, structureHash: hash, createdAt: now)
                try db.execute(
                    sql: """
                        INSERT INTO dag_version(id, dag_id, version_number, structure_hash, created_at) VALUES (?,?,?,?,?)
                        """,
                    arguments: [
                        version.id, dagId, version.versionNumber, hash, now.timeIntervalSince1970,
                    ])
                latest[dagId] = version
            }
            return latest
        }
    }

    /// The newest version of each of these DAGs that has one.
    static func latestVersions(of dagIds: [String], _ db: Database) throws -> [String: DAGVersionRecord] {
        var result: [String: DAGVersionRecord] = [:]
        let statement = try db.cachedStatement(
            sql: "SELECT * FROM dag_version WHERE dag_id = ? ORDER BY version_number DESC LIMIT 1")
        for dagId in dagIds {
            if let row = try Row.fetchOne(statement, arguments: [dagId]) { result[dagId] = version(from: row) }
        }
        return result
    }

    static func version(from row: Row) -> DAGVersionRecord {
        DAGVersionRecord(
            id: row["id"], dagId: row["dag_id"], versionNumber: row["version_number"],
            structureHash: row["structure_hash"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    public func dagVersions(dagId: String) async throws -> [DAGVersionRecord] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM dag_version WHERE dag_id = ? ORDER BY version_number", arguments: [dagId]
            ).map(Self.version(from:))
        }
    }

    public func dagVersion(id: String) async throws -> DAGVersionRecord? {
        try read { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM dag_version WHERE id = ?"), arguments: [id]).map(
                Self.version(from:))
        }
    }

    public func recordExternalAssetEvent(assetId: Int64, extra: [String: JSONValue], now: Date) async throws -> AssetEvent {
        let text = String(decoding: try XComCoding.encode(extra), as: UTF8.self)
        let eventId = try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM asset WHERE id = ?", arguments: [assetId]) == true else {
                throw StoreError.unknownAsset(assetId)
            }
            try db.execute(
                sql: """
                    INSERT INTO asset_event(asset_id, source_dag_id, source_run_id, source_task_id, source_map_index,
                        timestamp, extra) VALUES (?, '', '', '', -1, ?, ?)
                    """, arguments: [assetId, now.timeIntervalSince1970, text])
            let eventId = db.lastInsertedRowID
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO asset_dag_run_queue(event_id, target_dag_id)
                    SELECT ?, dag_id FROM dag_schedule_asset_reference WHERE asset_id = ?
                    """, arguments: [eventId, assetId])
            return eventId
        }
        guard let event = try events("WHERE e.id = ?", [eventId]).first else {
            throw StoreError.database("asset event \(eventId) is missing right after it was recorded")
        }
        return event
    }

    public func assetEvents(_ query: AssetEventQuery) async throws -> (events: [AssetEvent], total: Int) {
        let (_, column, descending) = try query.order()
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let id = query.assetId { clauses.append("e.asset_id = ?"); arguments += [id] }
        let equal: [(String, String?)] = [
            ("e.source_dag_id", query.sourceDagId), ("e.source_task_id", query.sourceTaskId),
            ("e.source_run_id", query.sourceRunId),
        ]
        for (name, value) in equal {
            guard let value else { continue }
            clauses.append("\(name) = ?"); arguments += [value]
        }
        if let low = query.timestampGte { clauses.append("e.timestamp >= ?"); arguments += [low.timeIntervalSince1970] }
        if let high = query.timestampLte { clauses.append("e.timestamp <= ?"); arguments += [high.timeIntervalSince1970] }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let direction = descending ? "DESC" : "ASC"
        let total = try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM asset_event e " + filter, arguments: arguments) ?? 0
        }
        let page = try events(
            filter + " ORDER BY \(column) \(direction), e.id \(direction)"
                + Self.page(limit: query.limit, offset: query.offset), arguments)
        return (page, total)
    }
}
