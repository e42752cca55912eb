import Foundation
import Logging
import PostgresNIO
import UpdraftCore
import UpdraftStore

extension PostgresStateStore {
    public func syncAssets(_ references: AssetReferences, now: Date) async throws {
        // Every command opens the engine: when the store already holds what the code declares (the
        // usual case) a read answers.
        if try await holds(references) { return }
        try await transaction { connection in
            for asset in references.assets { _ = try await Self.assetId(asset, now: now, connection, logger) }
            try await connection.query("DELETE FROM dag_schedule_asset_reference", logger: logger)
            try await connection.query("DELETE FROM task_outlet_asset_reference", logger: logger)
            var consumers: [(String, String)] = []
            for (uri, dags) in references.consumers { for dag in dags { consumers.append((uri, dag)) } }
            try await connection.query(
                """
                INSERT INTO dag_schedule_asset_reference(asset_id, dag_id)
                SELECT a.id, r.dag_id FROM UNNEST(\(consumers.map(\.0))::text[], \(consumers.map(\.1))::text[]) AS r(uri, dag_id)
                JOIN asset a ON a.uri = r.uri ON CONFLICT DO NOTHING
                """, logger: logger)
            var producers: [(String, TaskKeyName)] = []
            for (uri, tasks) in references.producers { for task in tasks { producers.append((uri, task)) } }
            try await connection.query(
                """
                INSERT INTO task_outlet_asset_reference(asset_id, dag_id, task_id)
                SELECT a.id, r.dag_id, r.task_id FROM UNNEST(\(producers.map(\.0))::text[], \(producers.map(\.1.dagId))::text[],
                    \(producers.map(\.1.taskId))::text[]) AS r(uri, dag_id, task_id)
                JOIN asset a ON a.uri = r.uri ON CONFLICT DO NOTHING
                """, logger: logger)
        }
    }

    /// Whether the store holds exactly these assets (name, group, extra) and references.
    func holds(_ references: AssetReferences) async throws -> Bool {
        var stored: [String: (String, String, String)] = [:]
        for row in try await rows("SELECT uri, name, \"group\", extra FROM asset") {
            let (uri, name, group, extra) = try row.decode((String, String, String, String).self)
            stored[uri] = (name, group, extra)
        }
        for asset in references.assets {
            let extra = String(decoding: try XComCoding.encode(asset.extra), as: UTF8.self)
            guard let row = stored[asset.uri], row.0 == asset.name, row.1 == asset.group, row.2 == extra else { return false }
        }
        var consumers: Set<[String]> = []
        for (uri, dags) in references.consumers { for dag in dags { consumers.insert([uri, dag]) } }
        let storedConsumers = try await rows(
            "SELECT a.uri, r.dag_id FROM dag_schedule_asset_reference r JOIN asset a ON a.id = r.asset_id"
        ).map { row in
            let (uri, dag) = try row.decode((String, String).self); return [uri, dag]
        }
        guard Set(storedConsumers) == consumers else { return false }
        var producers: Set<[String]> = []
        for (uri, tasks) in references.producers { for task in tasks { producers.insert([uri, task.dagId, task.taskId]) } }
        let storedProducers = try await rows(
            "SELECT a.uri, r.dag_id, r.task_id FROM task_outlet_asset_reference r JOIN asset a ON a.id = r.asset_id"
        ).map { row in
            let (uri, dag, task) = try row.decode((String, String, String).self); return [uri, dag, task]
        }
        return Set(storedProducers) == producers
    }

    /// The id of the asset with this URI, inserting it (or updating its name, group and extra) as needed.
    static func assetId(_ asset: Asset, now: Date, _ connection: PostgresConnection, _ logger: Logger) async throws -> Int64 {
        let extra = String(decoding: try XComCoding.encode(asset.extra), as: UTF8.self)
        let t = now.timeIntervalSince1970
        // The row is locked either way, so a concurrent sync waits instead of inserting the URI twice.
        let row = try await connection.query(
            """
            INSERT INTO asset(name, uri, "group", extra, created_at, updated_at)
            VALUES (\(asset.name), \(asset.uri), \(asset.group), \(extra), \(t), \(t))
            ON CONFLICT (uri) DO UPDATE SET name = excluded.name, "group" = excluded."group", extra = excluded.extra,
                updated_at = CASE WHEN (asset.name, asset."group", asset.extra) = (excluded.name, excluded."group", excluded.extra)
                    THEN asset.updated_at ELSE excluded.updated_at END
            RETURNING id
            """, logger: logger
        ).collect().first
        guard let row else { throw StoreError.database("asset \(asset.uri) has no id right after it was stored") }
        return try row.decode(Int64.self)
    }

    /// Records an event and queues it for every DAG scheduled on its asset.
    static func insert(_ event: AssetEventDraft, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let assetId = try await assetId(event.asset, now: event.timestamp, connection, logger)
        let extra = String(decoding: try XComCoding.encode(event.extra), as: UTF8.self)
        try await connection.query(
            """
            WITH event AS (
                INSERT INTO asset_event(asset_id, source_dag_id, source_run_id, source_task_id, source_map_index, timestamp, extra)
                VALUES (\(assetId), \(event.sourceRun.dagId), \(event.sourceRun.runId), \(event.sourceTaskId),
                    \(event.sourceMapIndex), \(event.timestamp.timeIntervalSince1970), \(extra))
                RETURNING id)
            INSERT INTO asset_dag_run_queue(event_id, target_dag_id)
            SELECT event.id, r.dag_id FROM event, dag_schedule_asset_reference r WHERE r.asset_id = \(assetId)
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    static let eventColumns = """
        e.id, e.asset_id, a.name, a.uri, e.source_dag_id, e.source_run_id, e.source_task_id, e.source_map_index, \
        e.timestamp, e.extra
        """

    static func event(from row: PostgresRow) throws -> AssetEvent {
        let (id, assetId, name, uri, dagId, runId, taskId, mapIndex, timestamp, extraText) = try row.decode(
            (Int64, Int64, String, String, String, String, String, Int, Double, String).self)
        // Informational attributes written as JSON by the store; unreadable ones show as empty.
        let extra = (try? XComCoding.decode([String: JSONValue].self, from: Array(extraText.utf8), source: "extra")) ?? [:]
        return AssetEvent(
            id: id, assetId: assetId, assetName: name, assetURI: uri, sourceDagId: dagId, sourceRunId: runId,
            sourceTaskId: taskId, sourceMapIndex: mapIndex, timestamp: timestamp.date, extra: extra)
    }

    /// Events selected by the rest of a query over `asset_event e JOIN asset a`.
    func events(_ rest: SQLBuilder) async throws -> [AssetEvent] {
        var sql = rest
        sql.text = "SELECT \(Self.eventColumns) FROM asset_event e JOIN asset a ON a.id = e.asset_id " + rest.text
        return try await rows(sql.query).map(Self.event(from:))
    }

    public func assets() async throws -> [AssetRecord] {
        var consumers: [Int64: [String]] = [:]
        for row in try await rows("SELECT asset_id, dag_id FROM dag_schedule_asset_reference ORDER BY asset_id, dag_id") {
            let (id, dag) = try row.decode((Int64, String).self)
            consumers[id, default: []].append(dag)
        }
        var producers: [Int64: [TaskKeyName]] = [:]
        for row in try await rows("SELECT asset_id, dag_id, task_id FROM task_outlet_asset_reference ORDER BY asset_id, dag_id, task_id") {
            let (id, dag, task) = try row.decode((Int64, String, String).self)
            producers[id, default: []].append(TaskKeyName(dag, task))
        }
        var last: [Int64: AssetEvent] = [:]
        for event in try await events(
            SQLBuilder("WHERE e.id IN (SELECT DISTINCT ON (asset_id) id FROM asset_event ORDER BY asset_id, timestamp DESC, id DESC)"))
        {
            last[event.assetId] = event
        }
        return try await rows("SELECT id, name, uri, \"group\", extra, created_at, updated_at FROM asset ORDER BY name").map { row in
            let (id, name, uri, group, extraText, created, updated) = try row.decode(
                (Int64, String, String, String, String, Double, Double).self)
            // As for events: informational, written as JSON by the store.
            let extra = (try? XComCoding.decode([String: JSONValue].self, from: Array(extraText.utf8), source: "extra")) ?? [:]
            return AssetRecord(
                id: id, asset: Asset(name, uri: uri, group: group, extra: extra), createdAt: created.date, updatedAt: updated.date,
                consumingDAGs: consumers[id] ?? [], producingTasks: producers[id] ?? [], lastEvent: last[id])
        }
    }

    public func queuedAssetEvents(dagId: String) async throws -> [AssetEvent] {
        var sql = SQLBuilder()
        sql += "JOIN asset_dag_run_queue q ON q.event_id = e.id WHERE q.target_dag_id = \(sql.bind(dagId)) ORDER BY e.id"
        return try await events(sql)
    }

    public func assetEvents(consumedBy run: RunKey) async throws -> [AssetEvent] {
        var sql = SQLBuilder()
        sql += "JOIN dag_run_asset_event l ON l.event_id = e.id WHERE l.dag_id = \(sql.bind(run.dagId))"
        sql += " AND l.run_id = \(sql.bind(run.runId)) ORDER BY e.id"
        return try await events(sql)
    }

    public func assetEvents(producedBy run: RunKey) async throws -> [AssetEvent] {
        var sql = SQLBuilder()
        sql += "WHERE e.source_dag_id = \(sql.bind(run.dagId)) AND e.source_run_id = \(sql.bind(run.runId)) ORDER BY e.id"
        return try await events(sql)
    }

    public func runsConsuming(events: [Int64]) async throws -> [RunKey] {
        guard !events.isEmpty else { return [] }
        return try await rows(
            "SELECT DISTINCT dag_id, run_id FROM dag_run_asset_event WHERE event_id = ANY(\(events)) ORDER BY dag_id, run_id"
        ).map { row in
            let (dag, run) = try row.decode((String, String).self); return RunKey(dag, run)
        }
    }

    public func recordExternalAssetEvent(assetId: Int64, extra: [String: JSONValue], now: Date) async throws -> AssetEvent {
        let text = String(decoding: try XComCoding.encode(extra), as: UTF8.self)
        let eventId = try await transaction { connection in
            guard try await !connection.query("SELECT 1 FROM asset WHERE id = \(assetId)", logger: logger).collect().isEmpty else {
                throw StoreError.unknownAsset(assetId)
            }
            let row = try await connection.query(
                """
                INSERT INTO asset_event(asset_id, source_dag_id, source_run_id, source_task_id, source_map_index, timestamp, extra)
                VALUES (\(assetId), '', '', '', -1, \(now.timeIntervalSince1970), \(text)) RETURNING id
                """, logger: logger
            ).collect().first
            guard let eventId = try row?.decode(Int64.self) else { throw StoreError.database("no id for the new asset event") }
            try await connection.query(
                """
                INSERT INTO asset_dag_run_queue(event_id, target_dag_id)
                SELECT \(eventId), dag_id FROM dag_schedule_asset_reference WHERE asset_id = \(assetId) ON CONFLICT DO NOTHING
                """, logger: logger)
            return eventId
        }
        var sql = SQLBuilder()
        sql += "WHERE e.id = \(sql.bind(eventId))"
        guard let event = try await events(sql).first else {
            throw StoreError.database("asset event \(eventId) is missing right after it was recorded")
        }
        return event
    }

    public func assetEvents(_ query: AssetEventQuery) async throws -> (events: [AssetEvent], total: Int) {
        let (_, column, descending) = try query.order()
        var sql = SQLBuilder()
        var clauses: [String] = []
        if let id = query.assetId { clauses.append("e.asset_id = \(sql.bind(id))") }
        let equal: [(String, String?)] = [
            ("e.source_dag_id", query.sourceDagId), ("e.source_task_id", query.sourceTaskId), ("e.source_run_id", query.sourceRunId),
        ]
        for (name, value) in equal {
            guard let value else { continue }
            clauses.append("\(name) = \(sql.bind(value))")
        }
        if let low = query.timestampGte { clauses.append("e.timestamp >= \(sql.bind(low.timeIntervalSince1970))") }
        if let high = query.timestampLte { clauses.append("e.timestamp <= \(sql.bind(high.timeIntervalSince1970))") }
        sql += SQLBuilder.whereClause(clauses)
        var count = sql
        count.text = "SELECT COUNT(*) FROM asset_event e" + sql.text
        let total = try await rows(count.query).first?.decode(Int.self) ?? 0
        let direction = SQLBuilder.direction(descending: descending)
        sql += " ORDER BY \(column) \(direction), e.id \(direction)" + SQLBuilder.page(limit: query.limit, offset: query.offset)
        return (try await events(sql), total)
    }
}
