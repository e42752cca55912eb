import Foundation
import Logging
import NIOCore
import PostgresNIO
import UpdraftCore
import UpdraftStore

extension PostgresStateStore {
    /// One transaction: the fence, then one statement per table (`UNNEST` of array binds), in
    /// `SQLiteStateStore`'s order: runs, cleared XCom, instances, tries, XCom, factory inputs, asset
    /// events, notifications, released notifications.
    public func commit(_ batch: StateBatch) async throws {
        guard !batch.isEmpty else { return }
        try await transaction { connection in
            if let fence = batch.fence { try await Self.checkFence(fence, lock: "FOR SHARE", connection, logger) }
            try await Self.upsertRuns(Self.lastOfEach(batch.runs, by: \.key), connection, logger)
            if !batch.clearedXComs.isEmpty {
                let keys = batch.clearedXComs
                try await connection.query(
                    """
                    DELETE FROM xcom x USING UNNEST(\(keys.map(\.run.dagId))::text[], \(keys.map(\.run.runId))::text[],
                        \(keys.map(\.taskId))::text[]) AS k(dag_id, run_id, task_id)
                    WHERE x.dag_id = k.dag_id AND x.run_id = k.run_id AND x.task_id = k.task_id
                    """, logger: logger)
            }
            try await Self.upsertInstances(batch.instances, connection, logger)
            try await Self.insertTries(batch.tries, connection, logger)
            let xcoms = Self.lastOfEach(batch.xcoms) { [$0.run.dagId, $0.run.runId, $0.taskId, $0.key] }
            if !xcoms.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO xcom(dag_id, run_id, task_id, key, value)
                    SELECT * FROM UNNEST(\(xcoms.map(\.run.dagId))::text[], \(xcoms.map(\.run.runId))::text[],
                        \(xcoms.map(\.taskId))::text[], \(xcoms.map(\.key))::text[], \(xcoms.map { ByteBuffer(bytes: $0.value) })::bytea[])
                    ON CONFLICT (dag_id, run_id, task_id, key) DO UPDATE SET value = excluded.value
                    """, logger: logger)
            }
            let inputs = Self.lastOfEach(batch.factoryInputs) { [$0.run.dagId, $0.run.runId, $0.factoryId] }
            if !inputs.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO factory_input(dag_id, run_id, factory_id, input)
                    SELECT * FROM UNNEST(\(inputs.map(\.run.dagId))::text[], \(inputs.map(\.run.runId))::text[],
                        \(inputs.map(\.factoryId))::text[], \(inputs.map { ByteBuffer(bytes: $0.input) })::bytea[])
                    ON CONFLICT (dag_id, run_id, factory_id) DO UPDATE SET input = excluded.input
                    """, logger: logger)
            }
            // Asset events and notifications are few per batch: one statement each.
            for event in batch.assetEvents { try await Self.insert(event, connection, logger) }
            for draft in batch.notifications { try await Self.enqueue(draft, connection, logger) }
            try await Self.release(batch.releasedNotifications, connection, logger)
        }
    }

    /// The last element of each key, in the order of those last elements (`INSERT … ON CONFLICT DO
    /// UPDATE` refuses to touch one row twice in a statement; SQLite's `INSERT OR REPLACE` keeps the last).
    static func lastOfEach<T, Key: Hashable>(_ items: [T], by key: (T) -> Key) -> [T] {
        var seen: Set<Key> = []
        var result: [T] = []
        for item in items.reversed() where seen.insert(key(item)).inserted { result.append(item) }
        return result.reversed()
    }

    static func insertTries(_ all: [TaskTry], _ connection: PostgresConnection, _ logger: Logger) async throws {
        let tries = lastOfEach(all) { [$0.dagId, $0.runId, $0.taskId, String($0.tryNumber)] }
        guard !tries.isEmpty else { return }
        var sql = SQLBuilder(
            "INSERT INTO task_instance_history(dag_id, run_id, task_id, try_number, state, start_date, end_date, error)")
        let columns = [
            sql.bind(tries.map(\.dagId)) + "::text[]", sql.bind(tries.map(\.runId)) + "::text[]",
            sql.bind(tries.map(\.taskId)) + "::text[]", sql.bind(tries.map(\.tryNumber)) + "::bigint[]",
            sql.bind(tries.map(\.state.rawValue)) + "::text[]",
            sql.bind(PostgresColumn<Double>(dates: tries.map(\.startDate))) + "::float8[]",
            sql.bind(PostgresColumn<Double>(dates: tries.map(\.endDate))) + "::float8[]",
            sql.bind(PostgresColumn(tries.map(\.error))) + "::text[]",
        ]
        sql += """
             SELECT * FROM UNNEST(\(columns.joined(separator: ", ")))
            ON CONFLICT (dag_id, run_id, task_id, try_number) DO UPDATE SET state = excluded.state,
                start_date = excluded.start_date, end_date = excluded.end_date, error = excluded.error
            """
        try await connection.query(sql.query, logger: logger)
    }
}
