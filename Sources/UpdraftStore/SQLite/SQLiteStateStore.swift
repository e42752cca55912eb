import CUpdraftSystem
import Foundation
import GRDB
import UpdraftCore

/// The state store in a SQLite file (GRDB over the system libsqlite3).
///
/// WAL journal, `synchronous=NORMAL` (durable across a process crash) or `FULL` when
/// `durableAcrossPowerLoss` is set, and a busy timeout so that CLI commands running next to a
/// scheduler wait for the lock instead of failing with "database is locked".
///
/// ```swift
/// let store = try SQLiteStateStore(path: "runs/updraft.db")
/// try await store.commit(batch)
/// ```
public final class SQLiteStateStore: StateStore, XComReading, SettingsReading {
    let pool: DatabasePool
    /// Write transactions this process committed (half of ``changeStamp()``).
    let localCommits = Locked<Int64>(0)
    /// The database file.
    public let path: String

    public init(path: String, durableAcrossPowerLoss: Bool = false, busyTimeout: TimeInterval = 60) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        let synchronous = durableAcrossPowerLoss ? "FULL" : "NORMAL"
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous)") }
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true)
            // Processes that open one file at once (a scheduler and a `dags trigger` started
            // together) set it up one after the other: switching a new file to WAL can answer
            // "database is locked" at once, without the busy timeout, and two migrators that
            // both find a migration missing would both apply it. The later opener finds the file
            // in WAL mode and migrated.
            pool = try Self.holdingFileLock(path + "-open-lock") {
                let pool = try DatabasePool(path: path, configuration: configuration)
                let migrator = StoreSchema.migrator
                // A new file gets the final schema at once (SchemaSnapshot), an older one its missing migrations.
                if try !pool.read({ db in try migrator.hasCompletedMigrations(db) }),
                    try !StoreSchema.snapshot.applyIfEmpty(to: pool, migrator: migrator)
                {
                    try migrator.migrate(pool)
                }
                return pool
            }
        } catch let error as DatabaseError {
            throw StoreError.database("\(path): \(error.message ?? "\(error)")")
        }
    }

    /// Runs `body` holding an exclusive `flock` on `lockPath` (created if missing).
    static func holdingFileLock<T>(_ lockPath: String, _ body: () throws -> T) throws -> T {
        let fd = updraft_lock_file(lockPath)
        guard fd >= 0 else { throw StoreError.database("\(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(fd) }  // releases the lock
        return try body()
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            let result = try pool.write(body)
            localCommits.withLock { $0 += 1 }
            return result
        } catch let error as StoreError { throw error } catch let error as DatabaseError {
            throw StoreError.database("\(error.message ?? "error") (SQL: \(error.sql ?? "-"))")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch let error as DatabaseError {
            throw StoreError.database("\(error.message ?? "error") (SQL: \(error.sql ?? "-"))")
        }
    }

    public func syncDAGs(_ dags: [DAGEntry]) async throws {
        let known = try read { db in try Set(String.fetchAll(db, sql: "SELECT dag_id FROM dag")) }
        let missing = dags.filter { !known.contains($0.dagId) }
        guard !missing.isEmpty else { return }
        try write { db in
            for dag in missing {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO dag(dag_id, is_paused) VALUES (?, ?)",
                    arguments: [dag.dagId, dag.isPaused])
            }
        }
    }

    public func dagEntries() async throws -> [DAGEntry] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT dag_id, is_paused, last_scheduled_start, last_scheduled_end FROM dag ORDER BY dag_id
                    """
            ).map { row in
                let start: Double? = row[2], end: Double? = row[3]
                let interval = start.flatMap { start in
                    end.map { DataInterval(start: Date(timeIntervalSince1970: start), end: Date(timeIntervalSince1970: $0)) }
                }
                return DAGEntry(dagId: row[0], isPaused: row[1], lastScheduledInterval: interval)
            }
        }
    }

    public func setLastScheduledInterval(_ dagId: String, _ interval: DataInterval) async throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE dag SET last_scheduled_start = ?, last_scheduled_end = ?
                    WHERE dag_id = ? AND (last_scheduled_start IS NULL OR last_scheduled_start < ?)
                    """,
                arguments: [
                    interval.start.timeIntervalSince1970, interval.end.timeIntervalSince1970, dagId,
                    interval.start.timeIntervalSince1970,
                ])
        }
    }

    public func setPaused(_ dagId: String, _ paused: Bool) async throws -> Bool {
        try write { db in
            try db.execute(sql: "UPDATE dag SET is_paused = ? WHERE dag_id = ?", arguments: [paused, dagId])
            return db.changesCount > 0
        }
    }

    public func createRun(_ run: DAGRun, instances: [TaskInstance], consumedEvents: [Int64]) async throws {
        try write { db in
            if try Bool.fetchOne(
                db, sql: "SELECT 1 FROM dag_run WHERE dag_id = ? AND run_id = ?",
                arguments: [run.dagId, run.runId]) == true
            {
                throw StoreError.duplicateRun(run.key)
            }
            try Self.upsert(run, db)
            for instance in instances { try Self.upsert(instance, db) }
            for event in consumedEvents {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO dag_run_asset_event(dag_id, run_id, event_id) VALUES (?,?,?)",
                    arguments: [run.dagId, run.runId, event])
                try db.execute(
                    sql: "DELETE FROM asset_dag_run_queue WHERE target_dag_id = ? AND event_id = ?",
                    arguments: [run.dagId, event])
            }
        }
    }

    public func run(_ key: RunKey) async throws -> DAGRun? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.runColumns) FROM dag_run WHERE dag_id = ? AND run_id = ?",
                arguments: [key.dagId, key.runId]
            ).map { try Self.run(from: $0) }
        }
    }

    public func runs(_ query: RunQuery) async throws -> [DAGRun] {
        try read { db in try Self.runs(query, db) }
    }

    public func runsPage(_ query: RunQuery) async throws -> (runs: [DAGRun], total: Int) {
        try read { db in
            let (filter, arguments) = Self.filter(query)
            let total = try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM dag_run" + filter), arguments: arguments) ?? 0
            return (query.limit == 0 ? [] : try Self.runs(query, db), total)
        }
    }

    static func runs(_ query: RunQuery, _ db: Database) throws -> [DAGRun] {
        let (filter, arguments) = Self.filter(query)
        let direction = query.orderBy.descending ? "DESC" : "ASC"
        var sql = "SELECT \(Self.runColumns) FROM dag_run" + filter
        sql += " ORDER BY \(query.orderBy.field.column) \(direction), id \(direction)"
        var paged = arguments
        if query.limit != nil || query.offset > 0 {
            // Bound, not inlined: one cached statement serves every page.
            sql += " LIMIT ? OFFSET ?"
            paged += [query.limit.map { max(0, $0) } ?? -1, max(0, query.offset)]
        }
        // A cached statement skips SQLite's compile (and GRDB's authorizer) on every list; rows
        // are decoded in place from the cursor.
        let rows = try Row.fetchCursor(try db.cachedStatement(sql: sql), arguments: paged)
        var runs: [DAGRun] = []
        while let row = try rows.next() { runs.append(try Self.run(from: row)) }
        return runs
    }

    public func countRuns(_ query: RunQuery) async throws -> Int {
        let (filter, arguments) = Self.filter(query)
        return try read { db in
            try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM dag_run" + filter), arguments: arguments) ?? 0
        }
    }

    /// ` LIMIT n OFFSET m` (SQLite's -1: no limit), or nothing for the whole listing.
    static func page(limit: Int?, offset: Int) -> String {
        guard limit != nil || offset > 0 else { return "" }
        return " LIMIT \(limit.map { max(0, $0) } ?? -1) OFFSET \(max(0, offset))"
    }

    /// The `WHERE` clause of a run query (empty without filters) and its arguments.
    static func filter(_ query: RunQuery) -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let dagId = query.dagId { clauses.append("dag_id = ?"); arguments += [dagId] }
        if let runId = query.runId { clauses.append("run_id = ?"); arguments += [runId] }
        if let states = query.states {
            clauses.append("state IN (\(states.map { "'\($0.rawValue)'" }.joined(separator: ",")))")
        }
        if let types = query.runTypes {
            clauses.append("run_type IN (\(types.map { "'\($0.rawValue)'" }.joined(separator: ",")))")
        }
        if let backfillId = query.backfillId { clauses.append("backfill_id = ?"); arguments += [backfillId] }
        if let dates = query.logicalDates {
            clauses.append("logical_date BETWEEN ? AND ?")
            arguments += [dates.lowerBound.timeIntervalSince1970, dates.upperBound.timeIntervalSince1970]
        }
        for (column, comparison, date) in query.dateBounds {
            clauses.append("\(column) \(comparison) ?")
            arguments += [date.timeIntervalSince1970]
        }
        if let pattern = query.runIdPattern {
            clauses.append("run_id LIKE ? ESCAPE '\\'")
            arguments += [LikePattern(pattern).sqlOperand]
        }
        return (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    public func taskInstances(run: RunKey) async throws -> [TaskInstance] {
        try read { db in
            let rows = try Row.fetchCursor(
                try db.cachedStatement(sql: "SELECT \(Self.instanceColumns) FROM task_instance WHERE dag_id = ? AND run_id = ?"),
                arguments: [run.dagId, run.runId])
            var instances: [TaskInstance] = []
            while let row = try rows.next() { instances.append(Self.instance(from: row)) }
            return instances
        }
    }

    public func taskInstance(run: RunKey, taskId: String) async throws -> TaskInstance? {
        try read { db in
            try Row.fetchOne(
                try db.cachedStatement(
                    sql: "SELECT \(Self.instanceColumns) FROM task_instance WHERE dag_id = ? AND run_id = ? AND task_id = ?"),
                arguments: [run.dagId, run.runId, taskId]
            ).map(Self.instance(from:))
        }
    }

    public func tries(run: RunKey, taskId: String) async throws -> [TaskTry] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM task_instance_history WHERE dag_id = ? AND run_id = ? AND task_id = ? ORDER BY try_number
                    """, arguments: [run.dagId, run.runId, taskId]
            ).map(Self.taskTry(from:))
        }
    }

    public func xcom(run: RunKey, taskId: String, key: String) async throws -> [UInt8]? {
        try readXCom(run: run, taskId: taskId, key: key)
    }

    public func readXCom(run: RunKey, taskId: String, key: String) throws -> [UInt8]? {
        try read { db in
            try Data.fetchOne(
                db, sql: "SELECT value FROM xcom WHERE dag_id = ? AND run_id = ? AND task_id = ? AND key = ?",
                arguments: [run.dagId, run.runId, taskId, key]
            ).map { Array($0) }
        }
    }

    public func factoryInputs(run: RunKey) async throws -> [String: [UInt8]] {
        try read { db in
            var result: [String: [UInt8]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT factory_id, input FROM factory_input WHERE dag_id = ? AND run_id = ?",
                arguments: [run.dagId, run.runId])
            {
                result[row[0]] = Array(row[1] as Data)
            }
            return result
        }
    }

    public func commit(_ batch: StateBatch) async throws {
        guard !batch.isEmpty else { return }
        try write { db in
            if let fence = batch.fence { try Self.checkFence(fence, db) }
            for run in batch.runs { try Self.upsert(run, db) }
            for key in batch.clearedXComs {
                try db.cachedStatement(sql: "DELETE FROM xcom WHERE dag_id = ? AND run_id = ? AND task_id = ?")
                    .execute(arguments: [key.run.dagId, key.run.runId, key.taskId])
            }
            for instance in batch.latestInstances { try Self.upsert(instance, db) }
            for entry in batch.tries { try Self.insert(entry, db) }
            let xcom = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO xcom(dag_id, run_id, task_id, key, value) VALUES (?,?,?,?,?)
                    """)
            for entry in batch.xcoms {
                try xcom.execute(arguments: [entry.run.dagId, entry.run.runId, entry.taskId, entry.key, Data(entry.value)])
            }
            let input = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO factory_input(dag_id, run_id, factory_id, input) VALUES (?,?,?,?)
                    """)
            for entry in batch.factoryInputs {
                try input.execute(arguments: [entry.run.dagId, entry.run.runId, entry.factoryId, Data(entry.input)])
            }
            for event in batch.assetEvents { try Self.insert(event, db) }
            for draft in batch.notifications { try Self.enqueue(draft, db) }
            try Self.release(batch.releasedNotifications, db)
            try Self.enqueue(batch.queuedTries, db)
        }
    }

    public func pools() async throws -> [PoolRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT pool, slots, description FROM slot_pool ORDER BY pool").map {
                PoolRecord(name: $0[0], slots: $0[1], description: $0[2])
            }
        }
    }

    public func setPool(_ pool: PoolRecord) async throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO slot_pool(pool, slots, description) VALUES (?, ?, ?)
                    ON CONFLICT(pool) DO UPDATE SET slots = excluded.slots,
                        description = CASE WHEN excluded.description = '' THEN description ELSE excluded.description END
                    """, arguments: [pool.name, pool.slots, pool.description])
        }
    }
}
