import Foundation
import Logging
import NIOCore
import PostgresNIO
import UpdraftCore
import UpdraftStore

extension PostgresStateStore {
    public func syncDAGs(_ dags: [DAGEntry]) async throws {
        guard !dags.isEmpty else { return }
        try await execute(
            """
            INSERT INTO dag(dag_id, is_paused) SELECT * FROM UNNEST(\(dags.map(\.dagId))::text[], \(dags.map(\.isPaused))::boolean[])
            ON CONFLICT (dag_id) DO NOTHING
            """)
    }

    public func dagEntries() async throws -> [DAGEntry] {
        try await rows("SELECT dag_id, is_paused, last_scheduled_start, last_scheduled_end FROM dag ORDER BY dag_id").map { row in
            let (dagId, paused, start, end) = try row.decode((String, Bool, Double?, Double?).self)
            let interval = start.flatMap { start in end.map { DataInterval(start: start.date, end: $0.date) } }
            return DAGEntry(dagId: dagId, isPaused: paused, lastScheduledInterval: interval)
        }
    }

    public func setLastScheduledInterval(_ dagId: String, _ interval: DataInterval) async throws {
        let start = interval.start.timeIntervalSince1970
        try await execute(
            """
            UPDATE dag SET last_scheduled_start = \(start), last_scheduled_end = \(interval.end.timeIntervalSince1970)
            WHERE dag_id = \(dagId) AND (last_scheduled_start IS NULL OR last_scheduled_start < \(start))
            """)
    }

    public func setPaused(_ dagId: String, _ paused: Bool) async throws -> Bool {
        try await !rows("UPDATE dag SET is_paused = \(paused) WHERE dag_id = \(dagId) RETURNING 1").isEmpty
    }

    public func createRun(_ run: DAGRun, instances: [TaskInstance], consumedEvents: [Int64]) async throws {
        try await transaction { connection in
            // The unique key decides: of two processes creating one run, the second inserts nothing.
            var insert = SQLBuilder()
            let statement = try Self.runsInsert([run], &insert)
            insert.text = statement + " ON CONFLICT (dag_id, run_id) DO NOTHING RETURNING 1"
            guard try await !connection.query(insert.query, logger: logger).collect().isEmpty else {
                throw StoreError.duplicateRun(run.key)
            }
            let instances = Self.latest(instances)
            if !instances.isEmpty {
                var upsert = SQLBuilder()
                let statement = Self.instancesUpsert(instances, &upsert)
                upsert.text = statement
                try await connection.query(upsert.query, logger: logger)
            }
            guard !consumedEvents.isEmpty else { return }
            try await connection.query(
                """
                INSERT INTO dag_run_asset_event(dag_id, run_id, event_id)
                SELECT \(run.dagId), \(run.runId), e FROM UNNEST(\(consumedEvents)::bigint[]) AS e ON CONFLICT DO NOTHING
                """, logger: logger)
            try await connection.query(
                "DELETE FROM asset_dag_run_queue WHERE target_dag_id = \(run.dagId) AND event_id = ANY(\(consumedEvents))",
                logger: logger)
        }
    }

    /// The columns `run(from:)` reads, in its order.
    static let runColumns = """
        dag_id, run_id, state, run_type, triggered_by, logical_date, data_interval_start, data_interval_end, \
        queued_at, start_date, end_date, conf, backfill_id, note, triggering_user_name, dag_version_id
        """

    /// A run from its row; a conf that is not a JSON object is an error naming the run.
    static func run(from row: PostgresRow) throws -> DAGRun {
        var r = RowReader(row)
        let dagId: String = try r.next(), runId: String = try r.next(), state: String = try r.next()
        let runType = RunType(rawValue: try r.next(String.self)) ?? .manual
        let triggeredBy: String = try r.next()
        let logical: Double = try r.next(), start: Double = try r.next(), end: Double = try r.next()
        let queued: Double = try r.next(), started: Double? = try r.next(), ended: Double? = try r.next()
        let confText: String = try r.next()
        let conf =
            confText == "{}"
            ? [:]
            : try XComCoding.decode(
                [String: JSONValue].self, from: Array(confText.utf8), source: "conf of run \(runId) of DAG \(dagId) in the state store")
        return DAGRun(
            dagId: dagId, runId: runId, state: RunState(rawValue: state) ?? .failed, runType: runType,
            triggeredBy: TriggeredBy(rawValue: triggeredBy) ?? .default(for: runType), logicalDate: logical.date,
            dataInterval: DataInterval(start: start.date, end: end.date), queuedAt: queued.date, startDate: started.date,
            endDate: ended.date, conf: conf, backfillId: try r.next(), note: try r.next(), triggeringUserName: try r.next(),
            dagVersionId: try r.next())
    }

    public func run(_ key: RunKey) async throws -> DAGRun? {
        try await rows(
            "SELECT \(unescaped: Self.runColumns) FROM dag_run WHERE dag_id = \(key.dagId) AND run_id = \(key.runId)"
        ).first.map(Self.run(from:))
    }

    public func runs(_ query: RunQuery) async throws -> [DAGRun] {
        if query.limit == 0 { return [] }
        var sql = SQLBuilder("SELECT \(Self.runColumns) FROM dag_run")
        Self.filter(query, &sql)
        let direction = SQLBuilder.direction(descending: query.orderBy.descending)
        sql += " ORDER BY \(query.orderBy.field.column) \(direction), id \(direction)"
        sql += SQLBuilder.page(limit: query.limit, offset: query.offset)
        return try await rows(sql.query).map(Self.run(from:))
    }

    public func countRuns(_ query: RunQuery) async throws -> Int {
        var sql = SQLBuilder("SELECT COUNT(*) FROM dag_run")
        Self.filter(query, &sql)
        return try await rows(sql.query).first?.decode(Int.self) ?? 0
    }

    public func runsPage(_ query: RunQuery) async throws -> (runs: [DAGRun], total: Int) {
        // One snapshot for both reads.
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { connection in
            var count = SQLBuilder("SELECT COUNT(*) FROM dag_run")
            Self.filter(query, &count)
            let total = try await connection.query(count.query, logger: logger).collect().first?.decode(Int.self) ?? 0
            guard query.limit != 0 else { return ([], total) }
            var sql = SQLBuilder("SELECT \(Self.runColumns) FROM dag_run")
            Self.filter(query, &sql)
            let direction = SQLBuilder.direction(descending: query.orderBy.descending)
            sql += " ORDER BY \(query.orderBy.field.column) \(direction), id \(direction)"
            sql += SQLBuilder.page(limit: query.limit, offset: query.offset)
            return (try await connection.query(sql.query, logger: logger).collect().map(Self.run(from:)), total)
        }
    }

    /// Appends the `WHERE` clause of a run query (nothing without filters).
    static func filter(_ query: RunQuery, _ sql: inout SQLBuilder) {
        var clauses: [String] = []
        if let dagId = query.dagId { clauses.append("dag_id = \(sql.bind(dagId))") }
        if let runId = query.runId { clauses.append("run_id = \(sql.bind(runId))") }
        if let states = query.states { clauses.append("state = ANY(\(sql.bind(states.map(\.rawValue))))") }
        if let types = query.runTypes { clauses.append("run_type = ANY(\(sql.bind(types.map(\.rawValue))))") }
        if let backfillId = query.backfillId { clauses.append("backfill_id = \(sql.bind(backfillId))") }
        if let dates = query.logicalDates {
            let low = sql.bind(dates.lowerBound.timeIntervalSince1970), high = sql.bind(dates.upperBound.timeIntervalSince1970)
            clauses.append("logical_date BETWEEN \(low) AND \(high)")
        }
        for (column, comparison, date) in query.dateBounds {
            clauses.append("\(column) \(comparison) \(sql.bind(date.timeIntervalSince1970))")
        }
        if let pattern = query.runIdPattern {
            // SQLite's LIKE ignores case; ILIKE does here.
            clauses.append("run_id ILIKE \(sql.bind(LikePattern(pattern).sqlOperand)) ESCAPE '\\'")
        }
        sql += SQLBuilder.whereClause(clauses)
    }

    /// The columns `instance(from:)` reads, in its order.
    static let instanceColumns = """
        run_id, dag_id, task_id, group_id, state, try_number, failed_tries, max_tries, start_date, end_date, \
        next_retry_at, pool, pool_slots, priority_weight, queue, kind, error
        """

    static func instance(from row: PostgresRow) throws -> TaskInstance {
        var r = RowReader(row)
        let runId: String = try r.next(), dagId: String = try r.next(), taskId: String = try r.next()
        let group: String? = try r.next(), state: String = try r.next()
        let tryNumber: Int = try r.next(), failed: Int = try r.next(), maxTries: Int = try r.next()
        let start: Double? = try r.next(), end: Double? = try r.next(), retry: Double? = try r.next()
        return TaskInstance(
            runId: runId, dagId: dagId, taskId: taskId, group: group, state: TaskState(rawValue: state) ?? .none,
            tryNumber: tryNumber, failedTries: failed, maxTries: maxTries, startDate: start.date, endDate: end.date,
            nextRetryAt: retry.date, pool: try r.next(), poolSlots: try r.next(), priority: try r.next(), queue: try r.next(),
            kind: try r.next(), error: try r.next())
    }

    public func taskInstances(run: RunKey) async throws -> [TaskInstance] {
        try await rows(
            """
            SELECT \(unescaped: Self.instanceColumns) FROM task_instance WHERE dag_id = \(run.dagId) AND run_id = \(run.runId)
            """
        ).map(Self.instance(from:))
    }

    public func taskInstance(run: RunKey, taskId: String) async throws -> TaskInstance? {
        try await rows(
            """
            SELECT \(unescaped: Self.instanceColumns) FROM task_instance
            WHERE dag_id = \(run.dagId) AND run_id = \(run.runId) AND task_id = \(taskId)
            """
        ).first.map(Self.instance(from:))
    }

    public func tries(run: RunKey, taskId: String) async throws -> [TaskTry] {
        try await rows(
            """
            SELECT try_number, state, start_date, end_date, error FROM task_instance_history
            WHERE dag_id = \(run.dagId) AND run_id = \(run.runId) AND task_id = \(taskId) ORDER BY try_number
            """
        ).map { row in
            let (number, state, start, end, error) = try row.decode((Int, String, Double?, Double?, String?).self)
            return TaskTry(
                dagId: run.dagId, runId: run.runId, taskId: taskId, tryNumber: number,
                state: TaskState(rawValue: state) ?? .failed, startDate: start.date, endDate: end.date, error: error)
        }
    }

    public func xcom(run: RunKey, taskId: String, key: String) async throws -> [UInt8]? {
        try await rows(
            """
            SELECT value FROM xcom WHERE dag_id = \(run.dagId) AND run_id = \(run.runId) AND task_id = \(taskId) AND key = \(key)
            """
        ).first.map { try $0.decode(ByteBuffer.self).bytes }
    }

    /// Blocks the calling thread on the query (made for a task's own thread; see `blocking(_:)`).
    public func readXCom(run: RunKey, taskId: String, key: String) throws -> [UInt8]? {
        try blocking { try await self.xcom(run: run, taskId: taskId, key: key) }
    }

    public func factoryInputs(run: RunKey) async throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for row in try await rows(
            "SELECT factory_id, input FROM factory_input WHERE dag_id = \(run.dagId) AND run_id = \(run.runId)")
        {
            let (id, input) = try row.decode((String, ByteBuffer).self)
            result[id] = input.bytes
        }
        return result
    }

    public func pools() async throws -> [PoolRecord] {
        try await rows("SELECT pool, slots, description FROM slot_pool ORDER BY pool").map { row in
            let (name, slots, description) = try row.decode((String, Int, String).self)
            return PoolRecord(name: name, slots: slots, description: description)
        }
    }

    public func setPool(_ pool: PoolRecord) async throws {
        try await execute(
            """
            INSERT INTO slot_pool(pool, slots, description) VALUES (\(pool.name), \(pool.slots), \(pool.description))
            ON CONFLICT (pool) DO UPDATE SET slots = excluded.slots,
                description = CASE WHEN excluded.description = '' THEN slot_pool.description ELSE excluded.description END
            """)
    }
}
