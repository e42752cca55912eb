import Foundation
import GRDB
import UpdraftCore

extension SQLiteStateStore {
    public func acquireLease(runId: String, owner: ProcessIdentity, now: Date,
                             isAlive: @Sendable (ProcessIdentity) -> Bool) throws -> LeaseOutcome {
        try write { db in
            if let current = try Row.fetchOne(db, sql: "SELECT pid, process_start, host FROM run_lease WHERE run_id = ?",
                                              arguments: [runId]) {
                let holder = ProcessIdentity(pid: current[0], startTime: UInt64(current[1] as Int64), host: current[2])
                if holder == owner { return .acquired(previousOwner: nil) }
                if isAlive(holder) { return .heldBy(holder) }
                try Self.writeLease(runId, owner, now, db)
                return .acquired(previousOwner: holder)
            }
            try Self.writeLease(runId, owner, now, db)
            return .acquired(previousOwner: nil)
        }
    }

    static func writeLease(_ runId: String, _ owner: ProcessIdentity, _ now: Date, _ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO run_lease(run_id, pid, process_start, host, acquired_at) VALUES (?,?,?,?,?)
            """, arguments: [runId, owner.pid, Int64(owner.startTime), owner.host, now.timeIntervalSince1970])
    }

    public func releaseLease(runId: String, owner: ProcessIdentity) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM run_lease WHERE run_id = ? AND pid = ? AND process_start = ? AND host = ?",
                           arguments: [runId, owner.pid, Int64(owner.startTime), owner.host])
        }
    }

    public func leases() throws -> [RunLease] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT run_id, pid, process_start, host, acquired_at FROM run_lease").map {
                RunLease(runId: $0[0], owner: ProcessIdentity(pid: $0[1], startTime: UInt64($0[2] as Int64), host: $0[3]),
                         acquiredAt: Date(timeIntervalSince1970: $0[4]))
            }
        }
    }

    public func registerScheduler(_ owner: ProcessIdentity, now: Date) throws {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO scheduler_job(pid, process_start, host, started_at) VALUES (?,?,?,?)",
                           arguments: [owner.pid, Int64(owner.startTime), owner.host, now.timeIntervalSince1970])
        }
    }

    public func unregisterScheduler(_ owner: ProcessIdentity) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM scheduler_job WHERE pid = ? AND process_start = ? AND host = ?",
                           arguments: [owner.pid, Int64(owner.startTime), owner.host])
        }
    }

    public func schedulers() throws -> [ProcessIdentity] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT pid, process_start, host FROM scheduler_job").map {
                ProcessIdentity(pid: $0[0], startTime: UInt64($0[1] as Int64), host: $0[2])
            }
        }
    }

    public func deleteRuns(endedBefore date: Date) throws -> [DAGRun] {
        try write { db in
            let runs = try Row.fetchAll(db, sql: """
                SELECT * FROM dag_run WHERE state IN ('success', 'failed') AND end_date < ?
                """, arguments: [date.timeIntervalSince1970]).map(Self.run(from:))
            for run in runs {
                for table in ["task_instance", "task_instance_history", "xcom", "factory_input", "run_lease"] {
                    try db.execute(sql: "DELETE FROM \(table) WHERE run_id = ?", arguments: [run.runId])
                }
                try db.execute(sql: "DELETE FROM dag_run WHERE run_id = ?", arguments: [run.runId])
            }
            return runs
        }
    }
}

extension SQLiteStateStore {
    /// The integer value of a PRAGMA on a reading connection (e.g. `synchronous`, `busy_timeout`).
    func pragma(_ name: String) throws -> Int? {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA \(name)") }
    }
}
