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
/// try store.commit(batch)
/// ```
public final class SQLiteStateStore: StateStore {
    let pool: DatabasePool
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
            pool = try Self.openMigrated(path: path, configuration: configuration, busyTimeout: busyTimeout)
        } catch let error as DatabaseError {
            throw StoreError.database("\(path): \(error.message ?? "\(error)")")
        }
    }

    /// Applies the migrations the file lacks. Two processes that open a new file at once (a
    /// scheduler and a `dags trigger` started together) both find them missing; each migration
    /// commits on its own, so the later one fails on what the other just made ("table dag
    /// already exists"). When another process applied migrations meanwhile, look again instead
    /// of failing; a failure while nobody else makes progress is a real one.
    static func migrate(_ pool: DatabasePool) throws {
        let migrator = StoreSchema.migrator
        while true {
            let before = try pool.read { db in try migrator.appliedMigrations(db) }
            if try pool.read({ db in try migrator.hasCompletedMigrations(db) }) { return }
            do {
                try migrator.migrate(pool)
                return
            } catch let error as DatabaseError where error.resultCode != .SQLITE_BUSY {
                let after = try pool.read { db in try migrator.appliedMigrations(db) }
                guard after.count > before.count else { throw error }
            }
        }
    }

    /// Opens the file and migrates it. While another opener sets up a new file (switching it to
    /// WAL, or inside a migration), SQLite may answer "database is locked" at once, without
    /// waiting on the busy timeout; so try again until the timeout has passed.
    static func openMigrated(path: String, configuration: Configuration, busyTimeout: TimeInterval) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try migrate(pool)
                return pool
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(10_000)
            }
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) }
        catch let error as StoreError { throw error }
        catch let error as DatabaseError { throw StoreError.database("\(error.message ?? "error") (SQL: \(error.sql ?? "-"))") }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) }
        catch let error as DatabaseError { throw StoreError.database("\(error.message ?? "error") (SQL: \(error.sql ?? "-"))") }
    }

    public func syncDAGs(_ dags: [DAGEntry]) throws {
        let known = try read { db in try Set(String.fetchAll(db, sql: "SELECT dag_id FROM dag")) }
        let missing = dags.filter { !known.contains($0.dagId) }
        guard !missing.isEmpty else { return }
        try write { db in
            for dag in missing {
                try db.execute(sql: "INSERT OR IGNORE INTO dag(dag_id, is_paused) VALUES (?, ?)",
                               arguments: [dag.dagId, dag.isPaused])
            }
        }
    }

    public func dagEntries() throws -> [DAGEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT dag_id, is_paused FROM dag ORDER BY dag_id").map {
                DAGEntry(dagId: $0[0], isPaused: $0[1])
            }
        }
    }

    public func setPaused(_ dagId: String, _ paused: Bool) throws -> Bool {
        try write { db in
            try db.execute(sql: "UPDATE dag SET is_paused = ? WHERE dag_id = ?", arguments: [paused, dagId])
            return db.changesCount > 0
        }
    }

    public func createRun(_ run: DAGRun, instances: [TaskInstance]) throws {
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM dag_run WHERE run_id = ?", arguments: [run.runId]) == true {
                throw StoreError.duplicateRun(run.runId)
            }
            try Self.upsert(run, db)
            for instance in instances { try Self.upsert(instance, db) }
        }
    }

    public func run(_ runId: String) throws -> DAGRun? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM dag_run WHERE run_id = ?", arguments: [runId]).map(Self.run(from:))
        }
    }

    public func runs(_ query: RunQuery) throws -> [DAGRun] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let dagId = query.dagId { clauses.append("dag_id = ?"); arguments += [dagId] }
        if let states = query.states {
            clauses.append("state IN (\(states.map { "'\($0.rawValue)'" }.joined(separator: ",")))")
        }
        if let types = query.runTypes {
            clauses.append("run_type IN (\(types.map { "'\($0.rawValue)'" }.joined(separator: ",")))")
        }
        var sql = "SELECT * FROM dag_run"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY logical_date DESC, id DESC"
        if let limit = query.limit { sql += " LIMIT \(limit)" }
        return try read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.run(from:)) }
    }

    public func taskInstances(runId: String) throws -> [TaskInstance] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM task_instance WHERE run_id = ?", arguments: [runId])
                .map(Self.instance(from:))
        }
    }

    public func taskInstance(runId: String, taskId: String) throws -> TaskInstance? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM task_instance WHERE run_id = ? AND task_id = ?",
                             arguments: [runId, taskId]).map(Self.instance(from:))
        }
    }

    public func tries(runId: String, taskId: String) throws -> [TaskTry] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM task_instance_history WHERE run_id = ? AND task_id = ? ORDER BY try_number
                """, arguments: [runId, taskId]).map(Self.taskTry(from:))
        }
    }

    public func xcom(runId: String, taskId: String, key: String) throws -> [UInt8]? {
        try read { db in
            try Data.fetchOne(db, sql: "SELECT value FROM xcom WHERE run_id = ? AND task_id = ? AND key = ?",
                              arguments: [runId, taskId, key]).map { Array($0) }
        }
    }

    public func factoryInputs(runId: String) throws -> [String: [UInt8]] {
        try read { db in
            var result: [String: [UInt8]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT factory_id, input FROM factory_input WHERE run_id = ?",
                                        arguments: [runId]) {
                result[row[0]] = Array(row[1] as Data)
            }
            return result
        }
    }

    public func commit(_ batch: StateBatch) throws {
        guard !batch.isEmpty else { return }
        try write { db in
            for run in batch.runs { try Self.upsert(run, db) }
            for key in batch.clearedXComs {
                try db.cachedStatement(sql: "DELETE FROM xcom WHERE run_id = ? AND task_id = ?")
                    .execute(arguments: [key.runId, key.taskId])
            }
            for instance in batch.latestInstances { try Self.upsert(instance, db) }
            for entry in batch.tries { try Self.insert(entry, db) }
            let xcom = try db.cachedStatement(sql: "INSERT OR REPLACE INTO xcom(run_id, task_id, key, value) VALUES (?,?,?,?)")
            for entry in batch.xcoms { try xcom.execute(arguments: [entry.runId, entry.taskId, entry.key, Data(entry.value)]) }
            let input = try db.cachedStatement(sql: "INSERT OR REPLACE INTO factory_input(run_id, factory_id, input) VALUES (?,?,?)")
            for entry in batch.factoryInputs { try input.execute(arguments: [entry.runId, entry.factoryId, Data(entry.input)]) }
        }
    }

    public func pools() throws -> [PoolRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT pool, slots, description FROM slot_pool ORDER BY pool").map {
                PoolRecord(name: $0[0], slots: $0[1], description: $0[2])
            }
        }
    }

    public func setPool(_ pool: PoolRecord) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO slot_pool(pool, slots, description) VALUES (?, ?, ?)
                ON CONFLICT(pool) DO UPDATE SET slots = excluded.slots,
                    description = CASE WHEN excluded.description = '' THEN description ELSE excluded.description END
                """, arguments: [pool.name, pool.slots, pool.description])
        }
    }
}
