import Foundation
import GRDB
import UpdraftCore

extension SQLiteStateStore {
    public func syncAssets(_ references: AssetReferences, now: Date) async throws {
        // Every command opens the engine: when the code declares what the store already holds
        // (the usual case) a read answers, and no write lock is taken.
        if try read({ db in try Self.holds(references, db) }) { return }
        try write { db in
            for asset in references.assets { _ = try Self.assetId(asset, now: now, db) }
            try db.execute(sql: "DELETE FROM dag_schedule_asset_reference; DELETE FROM task_outlet_asset_reference")
            for (uri, dags) in references.consumers {
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM asset WHERE uri = ?", arguments: [uri]) else { continue }
                for dag in dags {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO dag_schedule_asset_reference(asset_id, dag_id) VALUES (?,?)",
                        arguments: [id, dag])
                }
            }
            for (uri, tasks) in references.producers {
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM asset WHERE uri = ?", arguments: [uri]) else { continue }
                for task in tasks {
                    try db.execute(
                        sql: """
                            INSERT OR IGNORE INTO task_outlet_asset_reference(asset_id, dag_id, task_id) VALUES (?,?,?)
                            """, arguments: [id, task.dagId, task.taskId])
                }
            }
        }
    }

    /// Whether the store holds exactly these assets (name, group, extra) and references.
    static func holds(_ references: AssetReferences, _ db: Database) throws -> Bool {
        for asset in references.assets {
            let extra = String(decoding: try XComCoding.encode(asset.extra), as: UTF8.self)
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT name, \"group\", extra FROM asset WHERE uri = ?", arguments: [asset.uri]),
                row[0] as String == asset.name, row[1] as String == asset.group, row[2] as String == extra
            else { return false }
        }
        var consumers: Set<[String]> = []
        for (uri, dags) in references.consumers { for dag in dags { consumers.insert([uri, dag]) } }
        let storedConsumers = try Row.fetchAll(
            db,
            sql: "SELECT a.uri, r.dag_id FROM dag_schedule_asset_reference r JOIN asset a ON a.id = r.asset_id")
        guard Set(storedConsumers.map { [$0[0] as String, $0[1] as String] }) == consumers else { return false }
        var producers: Set<[String]> = []
        for (uri, tasks) in references.producers { for task in tasks { producers.insert([uri, task.dagId, task.taskId]) } }
        let storedProducers = try Row.fetchAll(
            db,
            sql: "SELECT a.uri, r.dag_id, r.task_id FROM task_outlet_asset_reference r JOIN asset a ON a.id = r.asset_id")
        return Set(storedProducers.map { [$0[0] as String, $0[1] as String, $0[2] as String] }) == producers
    }

    /// The id of the asset with this URI, inserting it (or updating its name, group and extra) as needed.
    static func assetId(_ asset: Asset, now: Date, _ db: Database) throws -> Int64 {
        let extra = String(decoding: try XComCoding.encode(asset.extra), as: UTF8.self)
        if let row = try Row.fetchOne(
            db, sql: "SELECT id, name, \"group\", extra FROM asset WHERE uri = ?",
            arguments: [asset.uri])
        {
            let id: Int64 = row[0]
            if row[1] as String != asset.name || row[2] as String != asset.group || row[3] as String != extra {
                try db.execute(
                    sql: "UPDATE asset SET name = ?, \"group\" = ?, extra = ?, updated_at = ? WHERE id = ?",
                    arguments: [asset.name, asset.group, extra, now.timeIntervalSince1970, id])
            }
            return id
        }
        try db.execute(
            sql: """
                INSERT INTO asset(name, uri, "group", extra, created_at, updated_at) VALUES (?,?,?,?,?,?)
                """, arguments: [asset.name, asset.uri, asset.group, extra, now.timeIntervalSince1970, now.timeIntervalSince1970])
        return db.lastInsertedRowID
    }

    /// Records an event and queues it for every DAG scheduled on its asset.
    static func insert(_ event: AssetEventDraft, _ db: Database) throws {
        let assetId = try assetId(event.asset, now: event.timestamp, db)
        let extra = String(decoding: try XComCoding.encode(event.extra), as: UTF8.self)
        try db.cachedStatement(
            sql: """
                INSERT INTO asset_event(asset_id, source_dag_id, source_run_id, source_task_id, source_map_index,
                    timestamp, extra) VALUES (?,?,?,?,?,?,?)
                """
        ).execute(arguments: [
            assetId, event.sourceRun.dagId, event.sourceRun.runId, event.sourceTaskId,
            event.sourceMapIndex, event.timestamp.timeIntervalSince1970, extra,
        ])
        let eventId = db.lastInsertedRowID
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO asset_dag_run_queue(event_id, target_dag_id)
                SELECT ?, dag_id FROM dag_schedule_asset_reference WHERE asset_id = ?
                """
        ).execute(arguments: [eventId, assetId])
    }

    static let eventColumns = """
        e.id, e.asset_id, a.name, a.uri, e.source_dag_id, e.source_run_id, e.source_task_id, e.source_map_index,
        e.timestamp, e.extra
        """

    static func event(from row: Row) -> AssetEvent {
        let extraText: String = row[9]
        // Informational attributes written as JSON by the store; unreadable ones show as empty.
        let extra = (try? XComCoding.decode([String: JSONValue].self, from: Array(extraText.utf8), source: "extra")) ?? [:]
        return AssetEvent(
            id: row[0], assetId: row[1], assetName: row[2], assetURI: row[3], sourceDagId: row[4],
            sourceRunId: row[5], sourceTaskId: row[6], sourceMapIndex: row[7],
            timestamp: Date(timeIntervalSince1970: row[8]), extra: extra)
    }

    func events(_ sql: String, _ arguments: StatementArguments) throws -> [AssetEvent] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.eventColumns) FROM asset_event e JOIN asset a ON a.id = e.asset_id "
                    + sql, arguments: arguments
            ).map(Self.event(from:))
        }
    }

    public func assets() async throws -> [AssetRecord] {
        let rows = try read { db in try Row.fetchAll(db, sql: "SELECT * FROM asset ORDER BY name") }
        var result: [AssetRecord] = []
        for row in rows {
            let id: Int64 = row["id"]
            let extraText: String = row["extra"]
            // As for events: informational, written as JSON by the store.
            let extra = (try? XComCoding.decode([String: JSONValue].self, from: Array(extraText.utf8), source: "extra")) ?? [:]
            let (consumers, producers) = try read { db in
                (
                    try String.fetchAll(
                        db, sql: "SELECT dag_id FROM dag_schedule_asset_reference WHERE asset_id = ? ORDER BY dag_id",
                        arguments: [id]),
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT dag_id, task_id FROM task_outlet_asset_reference WHERE asset_id = ? ORDER BY dag_id, task_id
                            """, arguments: [id]
                    ).map { TaskKeyName($0[0], $0[1]) }
                )
            }
            let last = try events("WHERE e.asset_id = ? ORDER BY e.timestamp DESC, e.id DESC LIMIT 1", [id]).first
            result.append(
                AssetRecord(
                    id: id, asset: Asset(row["name"], uri: row["uri"], group: row["group"], extra: extra),
                    createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    updatedAt: Date(timeIntervalSince1970: row["updated_at"]),
                    consumingDAGs: consumers, producingTasks: producers, lastEvent: last))
        }
        return result
    }

    public func queuedAssetEvents(dagId: String) async throws -> [AssetEvent] {
        try events("JOIN asset_dag_run_queue q ON q.event_id = e.id WHERE q.target_dag_id = ? ORDER BY e.id", [dagId])
    }

    public func assetEvents(consumedBy run: RunKey) async throws -> [AssetEvent] {
        try events(
            "JOIN dag_run_asset_event l ON l.event_id = e.id WHERE l.dag_id = ? AND l.run_id = ? ORDER BY e.id",
            [run.dagId, run.runId])
    }

    public func assetEvents(producedBy run: RunKey) async throws -> [AssetEvent] {
        try events("WHERE e.source_dag_id = ? AND e.source_run_id = ? ORDER BY e.id", [run.dagId, run.runId])
    }

    public func runsConsuming(events: [Int64]) async throws -> [RunKey] {
        guard !events.isEmpty else { return [] }
        return try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT dag_id, run_id FROM dag_run_asset_event
                    WHERE event_id IN (\(events.map(String.init).joined(separator: ","))) ORDER BY dag_id, run_id
                    """
            ).map { RunKey($0[0], $0[1]) }
        }
    }
}
