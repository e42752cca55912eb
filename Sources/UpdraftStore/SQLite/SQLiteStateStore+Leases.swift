import Foundation
import GRDB
import UpdraftCore

extension SQLiteStateStore {
    public func acquireLease(
        run: RunKey, owner: ProcessIdentity, now: Date, timeout: TimeInterval,
        isAlive: @Sendable (ProcessIdentity) -> Bool
    ) async throws -> LeaseOutcome {
        try write { db in
            if let current = try Self.lease(run, db) {
                if current.owner == owner {
                    try Self.renew(current.token, now: now, timeout: timeout, db)
                    return .acquired(current.token, previousOwner: nil)
                }
                if current.expiresAt >= now, isAlive(current.owner) { return .heldBy(current.owner) }
                return .acquired(try Self.writeLease(run, owner, now, timeout, db), previousOwner: current.owner)
            }
            return .acquired(try Self.writeLease(run, owner, now, timeout, db), previousOwner: nil)
        }
    }

    /// Writes a new lease with the run's next fencing token.
    static func writeLease(
        _ run: RunKey, _ owner: ProcessIdentity, _ now: Date, _ timeout: TimeInterval,
        _ db: Database
    ) throws -> LeaseToken {
        let last =
            try Int64.fetchOne(
                db, sql: "SELECT fencing_token FROM run_fence WHERE dag_id = ? AND run_id = ?",
                arguments: [run.dagId, run.runId]) ?? 0
        let token = last + 1
        try db.execute(
            sql: "INSERT OR REPLACE INTO run_fence(dag_id, run_id, fencing_token) VALUES (?,?,?)",
            arguments: [run.dagId, run.runId, token])
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO run_lease(dag_id, run_id, pid, process_start, host, acquired_at, heartbeat_at,
                    expires_at, fencing_token) VALUES (?,?,?,?,?,?,?,?,?)
                """,
            arguments: [
                run.dagId, run.runId, owner.pid, Int64(owner.startTime), owner.host,
                now.timeIntervalSince1970, now.timeIntervalSince1970,
                now.addingTimeInterval(timeout).timeIntervalSince1970, token,
            ])
        return LeaseToken(run: run, owner: owner, fencingToken: token)
    }

    static func lease(_ run: RunKey, _ db: Database) throws -> RunLease? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM run_lease WHERE dag_id = ? AND run_id = ?",
            arguments: [run.dagId, run.runId]
        ).map(lease(from:))
    }

    static func lease(from row: Row) -> RunLease {
        let acquired = Date(timeIntervalSince1970: row["acquired_at"])
        return RunLease(
            run: RunKey(row["dag_id"], row["run_id"]),
            owner: ProcessIdentity(
                pid: row["pid"], startTime: UInt64(row["process_start"] as Int64),
                host: row["host"]),
            acquiredAt: acquired,
            heartbeatAt: (row["heartbeat_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            expiresAt: (row["expires_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            fencingToken: row["fencing_token"])
    }

    /// Throws `leaseLost` unless `token` holds the run's lease.
    static func checkFence(_ token: LeaseToken, _ db: Database) throws {
        // Every commit of a run's owner checks it: bound by position, as the writes after it are.
        let statement = try db.cachedStatement(
            sql: """
                SELECT 1 FROM run_lease
                WHERE dag_id = ? AND run_id = ? AND fencing_token = ? AND pid = ? AND process_start = ? AND host = ?
                """)
        let held = try PositionalBinder.returnsRow(statement, in: db) { binder in
            binder.bind(token.run.dagId)
            binder.bind(token.run.runId)
            binder.bind(Int(token.fencingToken))
            binder.bind(Int(token.owner.pid))
            binder.bind(Int(token.owner.startTime))
            binder.bind(token.owner.host)
        }
        guard held else { throw StoreError.leaseLost(token.run, token.owner) }
    }

    static func renew(_ token: LeaseToken, now: Date, timeout: TimeInterval, _ db: Database) throws {
        try checkFence(token, db)
        try db.execute(
            sql: "UPDATE run_lease SET heartbeat_at = ?, expires_at = ? WHERE dag_id = ? AND run_id = ?",
            arguments: [
                now.timeIntervalSince1970, now.addingTimeInterval(timeout).timeIntervalSince1970,
                token.run.dagId, token.run.runId,
            ])
    }

    public func renewLease(_ token: LeaseToken, now: Date, timeout: TimeInterval) async throws {
        try write { db in try Self.renew(token, now: now, timeout: timeout, db) }
    }

    public func releaseLease(_ token: LeaseToken) async throws {
        try write { db in
            try Self.checkFence(token, db)
            try db.execute(
                sql: "DELETE FROM run_lease WHERE dag_id = ? AND run_id = ?",
                arguments: [token.run.dagId, token.run.runId])
        }
    }

    public func leases() async throws -> [RunLease] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM run_lease").map(Self.lease(from:)) }
    }

    public func registerScheduler(_ owner: ProcessIdentity, now: Date) async throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO scheduler_job(pid, process_start, host, started_at) VALUES (?,?,?,?)",
                arguments: [owner.pid, Int64(owner.startTime), owner.host, now.timeIntervalSince1970])
        }
    }

    public func unregisterScheduler(_ owner: ProcessIdentity) async throws {
        try write { db in
            try db.execute(
                sql: "DELETE FROM scheduler_job WHERE pid = ? AND process_start = ? AND host = ?",
                arguments: [owner.pid, Int64(owner.startTime), owner.host])
        }
    }

    public func schedulers() async throws -> [ProcessIdentity] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT pid, process_start, host FROM scheduler_job").map {
                ProcessIdentity(pid: $0[0], startTime: UInt64($0[1] as Int64), host: $0[2])
            }
        }
    }

    public func deleteRuns(endedBefore date: Date) async throws -> [DAGRun] {
        try write { db in
            let runs = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.runColumns) FROM dag_run WHERE state IN ('success', 'failed') AND end_date < ?
                    """, arguments: [date.timeIntervalSince1970]
            ).map { try Self.run(from: $0) }
            for run in runs { try Self.delete(run.key, in: db) }
            return runs
        }
    }

    public func deleteRun(_ key: RunKey) async throws -> Bool {
        try write { db in
            guard
                try Int.fetchOne(db, sql: "SELECT 1 FROM dag_run WHERE dag_id = ? AND run_id = ?", arguments: [key.dagId, key.runId]) != nil
            else { return false }
            try Self.delete(key, in: db)
            return true
        }
    }

    /// Deletes every row of one run, in one transaction of the caller's.
    static func delete(_ key: RunKey, in db: Database) throws {
        for table in [
            "task_instance", "task_instance_history", "xcom", "factory_input", "run_lease", "run_fence",
            "dag_run_asset_event", "dag_run",
        ] {
            try db.execute(sql: "DELETE FROM \(table) WHERE dag_id = ? AND run_id = ?", arguments: [key.dagId, key.runId])
        }
    }
}

extension SQLiteStateStore {
    /// The integer value of a PRAGMA on a reading connection (e.g. `synchronous`, `busy_timeout`).
    func pragma(_ name: String) throws -> Int? {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA \(name)") }
    }
}
