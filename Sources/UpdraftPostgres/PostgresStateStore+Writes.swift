import Foundation
import NIOCore
import PostgresNIO
import UpdraftCore
import UpdraftStore

/// The bulk writes of a batch: each builds one `INSERT … SELECT * FROM UNNEST(…) [condition] ON
/// CONFLICT …` statement whose binds go to a shared `SQLBuilder`, so that a commit can run them
/// as statements of a transaction or as the sub-statements of one `WITH` statement.
extension PostgresStateStore {
    /// What a run's commit updates: state, dates, conf, backfill (as `SQLiteStateStore`'s upsert).
    static let runUpdate = """
        ON CONFLICT (dag_id, run_id) DO UPDATE SET state = excluded.state, start_date = excluded.start_date,
            end_date = excluded.end_date, queued_at = excluded.queued_at, conf = excluded.conf,
            backfill_id = COALESCE(excluded.backfill_id, dag_run.backfill_id)
        """

    /// `INSERT INTO dag_run … SELECT * FROM UNNEST(…) AS u<condition>` (the conflict clause is the caller's).
    static func runsInsert(_ runs: [DAGRun], _ sql: inout SQLBuilder, condition: String = "") throws -> String {
        let confs = try runs.map { String(decoding: try XComCoding.encode($0.conf), as: UTF8.self) }
        let columns = [
            sql.bind(runs.map(\.dagId)) + "::text[]", sql.bind(runs.map(\.runId)) + "::text[]",
            sql.bind(runs.map(\.state.rawValue)) + "::text[]", sql.bind(runs.map(\.runType.rawValue)) + "::text[]",
            sql.bind(runs.map(\.triggeredBy.rawValue)) + "::text[]",
            sql.bind(runs.map(\.logicalDate.timeIntervalSince1970)) + "::float8[]",
            sql.bind(runs.map(\.dataInterval.start.timeIntervalSince1970)) + "::float8[]",
            sql.bind(runs.map(\.dataInterval.end.timeIntervalSince1970)) + "::float8[]",
            sql.bind(runs.map(\.queuedAt.timeIntervalSince1970)) + "::float8[]",
            sql.bind(PostgresColumn<Double>(dates: runs.map(\.startDate))) + "::float8[]",
            sql.bind(PostgresColumn<Double>(dates: runs.map(\.endDate))) + "::float8[]",
            sql.bind(confs) + "::text[]", sql.bind(PostgresColumn(runs.map(\.backfillId))) + "::bigint[]",
            sql.bind(PostgresColumn(runs.map(\.note))) + "::text[]",
            sql.bind(PostgresColumn(runs.map(\.triggeringUserName))) + "::text[]",
            sql.bind(PostgresColumn(runs.map(\.dagVersionId))) + "::text[]",
        ]
        return """
            INSERT INTO dag_run(dag_id, run_id, state, run_type, triggered_by, logical_date, data_interval_start,
                data_interval_end, queued_at, start_date, end_date, conf, backfill_id, note, triggering_user_name,
                dag_version_id) SELECT * FROM UNNEST(\(columns.joined(separator: ", "))) AS u\(condition)
            """
    }

    /// The last write of each task, in key order (two transactions lock shared rows in the same order).
    static func latest(_ all: [TaskInstance]) -> [TaskInstance] {
        var latest: [TaskKey: TaskInstance] = [:]
        for instance in all { latest[TaskKey(instance.runKey, instance.taskId)] = instance }
        return latest.values.sorted { ($0.dagId, $0.runId, $0.taskId) < ($1.dagId, $1.runId, $1.taskId) }
    }

    /// Inserts or replaces task instances (already one per task).
    static func instancesUpsert(_ instances: [TaskInstance], _ sql: inout SQLBuilder, condition: String = "") -> String {
        let columns = [
            sql.bind(instances.map(\.dagId)) + "::text[]", sql.bind(instances.map(\.runId)) + "::text[]",
            sql.bind(instances.map(\.taskId)) + "::text[]", sql.bind(PostgresColumn(instances.map(\.group))) + "::text[]",
            sql.bind(instances.map(\.state.rawValue)) + "::text[]", sql.bind(instances.map(\.tryNumber)) + "::bigint[]",
            sql.bind(instances.map(\.failedTries)) + "::bigint[]", sql.bind(instances.map(\.maxTries)) + "::bigint[]",
            sql.bind(PostgresColumn<Double>(dates: instances.map(\.startDate))) + "::float8[]",
            sql.bind(PostgresColumn<Double>(dates: instances.map(\.endDate))) + "::float8[]",
            sql.bind(PostgresColumn<Double>(dates: instances.map(\.nextRetryAt))) + "::float8[]",
            sql.bind(instances.map(\.pool)) + "::text[]", sql.bind(instances.map(\.poolSlots)) + "::bigint[]",
            sql.bind(instances.map(\.priority)) + "::bigint[]", sql.bind(instances.map(\.kind)) + "::text[]",
            sql.bind(PostgresColumn(instances.map(\.error))) + "::text[]", sql.bind(instances.map(\.queue)) + "::text[]",
        ]
        return """
            INSERT INTO task_instance(dag_id, run_id, task_id, group_id, state, try_number, failed_tries, max_tries,
                start_date, end_date, next_retry_at, pool, pool_slots, priority_weight, kind, error, queue)
            SELECT * FROM UNNEST(\(columns.joined(separator: ", "))) AS u\(condition)
            ON CONFLICT (dag_id, run_id, task_id) DO UPDATE SET group_id = excluded.group_id, state = excluded.state,
                try_number = excluded.try_number, failed_tries = excluded.failed_tries, max_tries = excluded.max_tries,
                start_date = excluded.start_date, end_date = excluded.end_date, next_retry_at = excluded.next_retry_at,
                pool = excluded.pool, pool_slots = excluded.pool_slots, priority_weight = excluded.priority_weight,
                kind = excluded.kind, error = excluded.error, queue = excluded.queue
            """
    }

    /// Inserts or replaces finished tries (the last of each key kept).
    static func triesUpsert(_ all: [TaskTry], _ sql: inout SQLBuilder, condition: String = "") -> String {
        let tries = lastOfEach(all) { [$0.dagId, $0.runId, $0.taskId, String($0.tryNumber)] }
        let columns = [
            sql.bind(tries.map(\.dagId)) + "::text[]", sql.bind(tries.map(\.runId)) + "::text[]",
            sql.bind(tries.map(\.taskId)) + "::text[]", sql.bind(tries.map(\.tryNumber)) + "::bigint[]",
            sql.bind(tries.map(\.state.rawValue)) + "::text[]",
            sql.bind(PostgresColumn<Double>(dates: tries.map(\.startDate))) + "::float8[]",
            sql.bind(PostgresColumn<Double>(dates: tries.map(\.endDate))) + "::float8[]",
            sql.bind(PostgresColumn(tries.map(\.error))) + "::text[]",
        ]
        return """
            INSERT INTO task_instance_history(dag_id, run_id, task_id, try_number, state, start_date, end_date, error)
            SELECT * FROM UNNEST(\(columns.joined(separator: ", "))) AS u\(condition)
            ON CONFLICT (dag_id, run_id, task_id, try_number) DO UPDATE SET state = excluded.state,
                start_date = excluded.start_date, end_date = excluded.end_date, error = excluded.error
            """
    }

    static func xcomsUpsert(_ all: [XComEntry], _ sql: inout SQLBuilder, condition: String = "") -> String {
        let xcoms = lastOfEach(all) { [$0.run.dagId, $0.run.runId, $0.taskId, $0.key] }
        let columns = [
            sql.bind(xcoms.map(\.run.dagId)) + "::text[]", sql.bind(xcoms.map(\.run.runId)) + "::text[]",
            sql.bind(xcoms.map(\.taskId)) + "::text[]", sql.bind(xcoms.map(\.key)) + "::text[]",
            sql.bind(xcoms.map { ByteBuffer(bytes: $0.value) }) + "::bytea[]",
        ]
        return """
            INSERT INTO xcom(dag_id, run_id, task_id, key, value) SELECT * FROM UNNEST(\(columns.joined(separator: ", "))) AS u\(condition)
            ON CONFLICT (dag_id, run_id, task_id, key) DO UPDATE SET value = excluded.value
            """
    }

    static func inputsUpsert(_ all: [FactoryInput], _ sql: inout SQLBuilder, condition: String = "") -> String {
        let inputs = lastOfEach(all) { [$0.run.dagId, $0.run.runId, $0.factoryId] }
        let columns = [
            sql.bind(inputs.map(\.run.dagId)) + "::text[]", sql.bind(inputs.map(\.run.runId)) + "::text[]",
            sql.bind(inputs.map(\.factoryId)) + "::text[]", sql.bind(inputs.map { ByteBuffer(bytes: $0.input) }) + "::bytea[]",
        ]
        return """
            INSERT INTO factory_input(dag_id, run_id, factory_id, input)
            SELECT * FROM UNNEST(\(columns.joined(separator: ", "))) AS u\(condition)
            ON CONFLICT (dag_id, run_id, factory_id) DO UPDATE SET input = excluded.input
            """
    }

    /// Queues tries (a try already queued keeps its row), returning each new row's queue.
    static func queueInsert(_ entries: [QueuedTry], _ sql: inout SQLBuilder, condition: String = "") -> String {
        let columns = [
            sql.bind(entries.map(\.key.dagId)) + "::text[]", sql.bind(entries.map(\.key.runId)) + "::text[]",
            sql.bind(entries.map(\.key.taskId)) + "::text[]", sql.bind(entries.map { Int64($0.key.tryNumber) }) + "::bigint[]",
            sql.bind(entries.map(\.queue)) + "::text[]", sql.bind(entries.map { Int64($0.priority) }) + "::bigint[]",
            sql.bind(PostgresColumn<ByteBuffer>(bytes: entries.map(\.payload))) + "::bytea[]",
            sql.bind(entries.map(\.dagHash)) + "::text[]", sql.bind(entries.map(\.enqueuedAt.timeIntervalSince1970)) + "::float8[]",
        ]
        return """
            INSERT INTO task_queue(dag_id, run_id, task_id, try_number, queue, priority, payload, dag_hash, enqueued_at)
            SELECT * FROM UNNEST(\(columns.joined(separator: ", "))) AS u\(condition)
            ON CONFLICT DO NOTHING RETURNING queue
            """
    }

    /// The CTE that wakes the workers of the queues `insert` (a CTE name) added rows to; the
    /// statement must read it (a `SELECT` CTE nobody reads does not run).
    static func queueNotify(after insert: String) -> String {
        "queued AS (SELECT pg_notify('\(QueueChannel.queued)', queue) FROM (SELECT DISTINCT queue FROM \(insert)) AS q)"
    }

    /// The writes of runs, instances, tries, XCom, factory inputs and queued tries of a batch, in
    /// that order (the queue's insert last, for `queueNotify`).
    /// With `all`, every table's write, empty or not (a statement text that never changes).
    static func tableWrites(_ batch: StateBatch, _ sql: inout SQLBuilder, condition: String = "", all: Bool = false) throws -> [String] {
        var statements: [String] = []
        let runs = lastOfEach(batch.runs, by: \.key)
        if all || !runs.isEmpty { statements.append(try runsInsert(runs, &sql, condition: condition) + " " + runUpdate) }
        let instances = latest(batch.instances)
        if all || !instances.isEmpty { statements.append(instancesUpsert(instances, &sql, condition: condition)) }
        if all || !batch.tries.isEmpty { statements.append(triesUpsert(batch.tries, &sql, condition: condition)) }
        if all || !batch.xcoms.isEmpty { statements.append(xcomsUpsert(batch.xcoms, &sql, condition: condition)) }
        if all || !batch.factoryInputs.isEmpty { statements.append(inputsUpsert(batch.factoryInputs, &sql, condition: condition)) }
        if all || !batch.queuedTries.isEmpty { statements.append(queueInsert(batch.queuedTries, &sql, condition: condition)) }
        return statements
    }

    /// `SELECT 1 FROM run_lease WHERE <the token holds the lease>` (the caller adds the lock).
    static func fenceSelect(_ token: LeaseToken, _ sql: inout SQLBuilder) -> String {
        """
        SELECT 1 FROM run_lease WHERE dag_id = \(sql.bind(token.run.dagId)) AND run_id = \(sql.bind(token.run.runId))
            AND fencing_token = \(sql.bind(token.fencingToken)) AND pid = \(sql.bind(Int64(token.owner.pid)))
            AND process_start = \(sql.bind(Int64(bitPattern: token.owner.startTime))) AND host = \(sql.bind(token.owner.host))
        """
    }
}
