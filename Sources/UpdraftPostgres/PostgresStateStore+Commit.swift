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
            batch.releasedNotifications.isEmpty
        {
            // A run's owner commits fenced batches all the time: one prepared statement.
            let fencedBinds = try batch.fence.map { try Self.fencedWrites(batch, fence: $0).binds }
            let query = fencedBinds == nil ? try Self.writes(batch, fence: nil) : nil
            var attempt = 0
            while true {
                attempt += 1
                do {
                    let rows: [PostgresRow]
                    if let fencedBinds {
                        rows = try await rawRows(FencedCommit.self, fencedBinds)
                    } else if let query {
                        rows = try await client.query(query, logger: logger).collect()
                    } else {
                        return
                    }
                    let fenced = try rows.first?.decode(Int.self) ?? 0
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
        sql.text = with(parts, writes, queued: !batch.queuedTries.isEmpty, fenced: fence != nil)
        return sql.query
    }

    /// The fenced batch as `FencedCommit`'s binds: the fence and every table's write, empty or not,
    /// so that the statement's text is the same for every batch.
    static func fencedWrites(_ batch: StateBatch, fence: LeaseToken) throws -> SQLBuilder {
        var sql = SQLBuilder()
        let select = fenceSelect(fence, &sql)
        let writes = try tableWrites(batch, &sql, condition: " WHERE EXISTS (SELECT 1 FROM fence)", all: true)
        sql.text = with(["fence AS (\(select) FOR SHARE)"], writes, queued: true, fenced: true)
        return sql
    }

    /// `WITH <parts>, w0 AS (…), …[, queued AS (…)] SELECT <fence rows>, <notified queues>`: the
    /// first column is how many lease rows the fence matched (1 without a fence).
    private static func with(_ parts: [String], _ writes: [String], queued: Bool, fenced: Bool) -> String {
        var parts = parts + writes.enumerated().map { "w\($0.offset) AS (\($0.element))" }
        if queued { parts.append(queueNotify(after: "w\(writes.count - 1)")) }
        return "WITH " + parts.joined(separator: ",\n") + "\nSELECT " + (fenced ? "(SELECT count(*) FROM fence)" : "1::bigint")
            + (queued ? ", (SELECT count(*) FROM queued)" : "")
    }

    /// The fenced commit of a batch of table writes (`fencedWrites`).
    enum FencedCommit: FixedStatement {
        static let prepared = true
        static let text: String = {
            let nobody = LeaseToken(run: RunKey("", ""), owner: ProcessIdentity(pid: 0, startTime: 0, host: ""), fencingToken: 0)
            do { return try fencedWrites(StateBatch(), fence: nobody).text } catch { preconditionFailure("\(error)") }
        }()
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
