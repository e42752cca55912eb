import Foundation
import GRDB
import GRDBSQLite
import UpdraftCore

extension SQLiteStateStore {
    /// Inserts the run, or updates what changes over its life (state, dates, conf); what is set
    /// at creation stays, and the note changes only through `setRunNote`.
    static func upsert(_ run: DAGRun, _ db: Database) throws {
        let conf = String(decoding: try XComCoding.encode(run.conf), as: UTF8.self)
        try db.cachedStatement(
            sql: """
                INSERT INTO dag_run(dag_id, run_id, state, run_type, triggered_by, logical_date, data_interval_start,
                    data_interval_end, queued_at, start_date, end_date, conf, backfill_id, note, triggering_user_name,
                    dag_version_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                ON CONFLICT(dag_id, run_id) DO UPDATE SET state = excluded.state, start_date = excluded.start_date,
                    end_date = excluded.end_date, queued_at = excluded.queued_at, conf = excluded.conf,
                    backfill_id = COALESCE(excluded.backfill_id, backfill_id)
                """
        ).execute(arguments: [
            run.dagId, run.runId, run.state.rawValue, run.runType.rawValue, run.triggeredBy.rawValue,
            run.logicalDate.timeIntervalSince1970, run.dataInterval.start.timeIntervalSince1970,
            run.dataInterval.end.timeIntervalSince1970, run.queuedAt.timeIntervalSince1970,
            run.startDate?.timeIntervalSince1970, run.endDate?.timeIntervalSince1970, conf, run.backfillId,
            run.note, run.triggeringUserName, run.dagVersionId,
        ])
    }

    /// A run from its row; a conf that is not a JSON object (a row edited by hand) is an error
    /// naming the run, never an empty conf its tasks would silently run with.
    /// The columns `run(from:)` reads, in its order: select runs with `SELECT \(runColumns) FROM dag_run`.
    /// (Positions, not names: a name lookup per column was a third of a run list's time.)
    static let runColumns = """
        dag_id, run_id, state, run_type, triggered_by, logical_date, data_interval_start, data_interval_end, \
        queued_at, start_date, end_date, conf, backfill_id, note, triggering_user_name, dag_version_id
        """

    static func run(from row: Row) throws -> DAGRun {
        let dagId: String = row[0], runId: String = row[1]
        let confText: String = row[11]
        // Most runs have no conf: skip the decoder for the empty object.
        let conf =
            confText == "{}"
            ? [:]
            : try XComCoding.decode(
                [String: JSONValue].self, from: Array(confText.utf8),
                source: "conf of run \(runId) of DAG \(dagId) in the state store")
        let runType = RunType(rawValue: row[3]) ?? .manual
        return DAGRun(
            dagId: dagId, runId: runId,
            state: RunState(rawValue: row[2]) ?? .failed,
            runType: runType, triggeredBy: TriggeredBy(rawValue: row[4] as String? ?? "") ?? .default(for: runType),
            logicalDate: Date(timeIntervalSince1970: row[5]),
            dataInterval: DataInterval(start: Date(timeIntervalSince1970: row[6]), end: Date(timeIntervalSince1970: row[7])),
            queuedAt: Date(timeIntervalSince1970: row[8]),
            startDate: (row[9] as Double?).map(Date.init(timeIntervalSince1970:)),
            endDate: (row[10] as Double?).map(Date.init(timeIntervalSince1970:)),
            conf: conf, backfillId: row[12], note: row[13], triggeringUserName: row[14], dagVersionId: row[15])
    }

    /// Inserts the instance, or updates its row in place: the key and the group (which the task
    /// id fixes) are left as they are, so a state change writes no index entry and checks no
    /// foreign key (`INSERT OR REPLACE` deleted and re-inserted the row with every index entry).
    static func upsert(_ instance: TaskInstance, _ db: Database) throws {
        try PositionalBinder.execute(
            db.cachedStatement(
                sql: """
                    INSERT INTO task_instance(run_id, task_id, dag_id, group_id, state, try_number,
                        failed_tries, max_tries, start_date, end_date, next_retry_at, pool, pool_slots,
                        priority_weight, kind, error, queue) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                    ON CONFLICT(dag_id, run_id, task_id) DO UPDATE SET state = excluded.state,
                        try_number = excluded.try_number, failed_tries = excluded.failed_tries,
                        max_tries = excluded.max_tries, start_date = excluded.start_date, end_date = excluded.end_date,
                        next_retry_at = excluded.next_retry_at, pool = excluded.pool, pool_slots = excluded.pool_slots,
                        priority_weight = excluded.priority_weight, kind = excluded.kind, error = excluded.error,
                        queue = excluded.queue
                    """
            ), in: db
        ) { row in
            row.bind(instance.runId); row.bind(instance.taskId); row.bind(instance.dagId); row.bind(instance.group)
            row.bind(instance.state.rawValue); row.bind(instance.tryNumber); row.bind(instance.failedTries)
            row.bind(instance.maxTries); row.bind(instance.startDate?.timeIntervalSince1970)
            row.bind(instance.endDate?.timeIntervalSince1970); row.bind(instance.nextRetryAt?.timeIntervalSince1970)
            row.bind(instance.pool); row.bind(instance.poolSlots); row.bind(instance.priority); row.bind(instance.kind)
            row.bind(instance.error); row.bind(instance.queue)
        }
    }

    /// The columns `instance(from:)` reads, in its order (positions, as `runColumns`).
    static let instanceColumns = """
        run_id, dag_id, task_id, group_id, state, try_number, failed_tries, max_tries, start_date, end_date, \
        next_retry_at, pool, pool_slots, priority_weight, queue, kind, error
        """

    static func instance(from row: Row) -> TaskInstance {
        TaskInstance(
            runId: row[0], dagId: row[1], taskId: row[2], group: row[3],
            state: TaskState(rawValue: row[4]) ?? .none, tryNumber: row[5],
            failedTries: row[6], maxTries: row[7],
            startDate: (row[8] as Double?).map(Date.init(timeIntervalSince1970:)),
            endDate: (row[9] as Double?).map(Date.init(timeIntervalSince1970:)),
            nextRetryAt: (row[10] as Double?).map(Date.init(timeIntervalSince1970:)),
            pool: row[11], poolSlots: row[12], priority: row[13],
            queue: row[14], kind: row[15], error: row[16])
    }

    static func insert(_ entry: TaskTry, _ db: Database) throws {
        try PositionalBinder.execute(
            db.cachedStatement(
                sql: """
                    INSERT INTO task_instance_history(dag_id, run_id, task_id, try_number, state, start_date,
                        end_date, error) VALUES (?,?,?,?,?,?,?,?)
                    ON CONFLICT(dag_id, run_id, task_id, try_number) DO UPDATE SET state = excluded.state,
                        start_date = excluded.start_date, end_date = excluded.end_date, error = excluded.error
                    """
            ), in: db
        ) { row in
            row.bind(entry.dagId); row.bind(entry.runId); row.bind(entry.taskId); row.bind(entry.tryNumber)
            row.bind(entry.state.rawValue); row.bind(entry.startDate?.timeIntervalSince1970)
            row.bind(entry.endDate?.timeIntervalSince1970); row.bind(entry.error)
        }
    }

    static func taskTry(from row: Row) -> TaskTry {
        TaskTry(
            dagId: row["dag_id"], runId: row["run_id"], taskId: row["task_id"], tryNumber: row["try_number"],
            state: TaskState(rawValue: row["state"]) ?? .failed,
            startDate: (row["start_date"] as Double?).map(Date.init(timeIntervalSince1970:)),
            endDate: (row["end_date"] as Double?).map(Date.init(timeIntervalSince1970:)),
            error: row["error"])
    }
}
