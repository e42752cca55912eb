import Foundation
import PostgresNIO
import UpdraftCore
import UpdraftStore

extension PostgresStateStore {
    /// One atomic write. The usual batch (runs, instances, tries, XCom, factory inputs) is a single
    /// statement, one round trip: `WITH fence AS (SELECT … FROM run_lease … FOR SHARE), w0 AS
    /// (INSERT … SELECT * FROM UNNEST(…) WHERE EXISTS (SELECT 1 FROM fence) ON CONFLICT …), …`; it
    /// writes nothing and throws `leaseLost` when the token no longer holds the lease. A batch with
    /// cleared XCom, asset events or notifications is a transaction: the fence first, then the
    /// cleared XCom, the same writes, asset events, notifications and released notifications.
    /// The lease row stays share-locked until the end, so a takeover cannot interleave.
    public func commit(_ batch: StateBatch) async throws {
        guard !batch.isEmpty else { return }
        if batch.clearedXComs.isEmpty, batch.assetEvents.isEmpty, batch.notifications.isEmpty,
            batch.releasedNotifications.isEmpty, let query = try Self.writes(batch, fence: batch.fence)
        {
            var attempt = 0
            while true {
                attempt += 1
                do {
                    let fenced = try await client.query(query, logger: logger).collect().first?.decode(Int.self) ?? 0
                    if let fence = batch.fence, fenced == 0 { throw StoreError.leaseLost(fence.run, fence.owner) }
                    return
                } catch let error as PSQLError where attempt < 4 && Self.isRetryable(error) {
                    logger.debug("retrying a commit after \(error.serverInfo?[.sqlState] ?? "?")")
                } catch { throw mapped(error) }
            }
        }
        try await transaction { connection in
            if let fence = batch.fence { try await Self.checkFence(fence, lock: "FOR SHARE", connection, logger) }
            if !batch.clearedXComs.isEmpty {
                let keys = batch.clearedXComs
                try await connection.query(
                    """
                    DELETE FROM xcom x USING UNNEST(\(keys.map(\.run.dagId))::text[], \(keys.map(\.run.runId))::text[],
                        \(keys.map(\.taskId))::text[]) AS k(dag_id, run_id, task_id)
                    WHERE x.dag_id = k.dag_id AND x.run_id = k.run_id AND x.task_id = k.task_id
                    """, logger: logger)
            }
            if let query = try Self.writes(batch, fence: nil) { try await connection.query(query, logger: logger) }
            // Asset events and notifications are few per batch: one statement each.
            for event in batch.assetEvents { try await Self.insert(event, connection, logger) }
            for draft in batch.notifications { try await Self.enqueue(draft, connection, logger) }
            try await Self.release(batch.releasedNotifications, connection, logger)
        }
    }

    /// The batch's table writes as one `WITH` statement returning how many lease rows the fence
    /// matched (1 without a fence); nil when the batch writes none of those tables and has no fence.
    static func writes(_ batch: StateBatch, fence: LeaseToken?) throws -> PostgresQuery? {
        var sql = SQLBuilder()
        var parts: [String] = []
        var condition = ""
        if let fence {
            let select = fenceSelect(fence, &sql)
            parts.append("fence AS (\(select) FOR SHARE)")
            condition = " WHERE EXISTS (SELECT 1 FROM fence)"
        }
        let writes = try tableWrites(batch, &sql, condition: condition)
        guard !writes.isEmpty else { return nil }
        parts += writes.enumerated().map { "w\($0.offset) AS (\($0.element))" }
        sql.text = "WITH " + parts.joined(separator: ",\n") + "\nSELECT " + (fence == nil ? "1::bigint" : "(SELECT count(*) FROM fence)")
        return sql.query
    }

    /// The last element of each key, in the order of those last elements (`INSERT … ON CONFLICT DO
    /// UPDATE` refuses to touch one row twice in a statement; SQLite's `INSERT OR REPLACE` keeps the last).
    static func lastOfEach<T, Key: Hashable>(_ items: [T], by key: (T) -> Key) -> [T] {
        var seen: Set<Key> = []
        var result: [T] = []
        for item in items.reversed() where seen.insert(key(item)).inserted { result.append(item) }
        return result.reversed()
    }
}
