import Foundation
import GRDB
import UpdraftCore

extension SQLiteStateStore {
    public func acquireLease(run: RunKey, owner: ProcessIdentity, now: Date,
                             isAlive: @Sendable (ProcessIdentity) -> Bool) throws -> LeaseOutcome {
        try write { db in
            if let current = try Row.fetchOne(db, sql: """
                SELECT pid, process_start, host FROM run_lease WHERE dag_id = ? AND run_id = ?
                """, arguments: [run.dagId, run.runId]) {
                let holder = ProcessIdentity(pid: current[0], startTime: UInt64(current[1] as Int64), host: current[2])
                if holder == owner { return .acquired(previousOwner: nil) }
                if isAlive(holder) { return .heldBy(holder) }
                try Self.writeLease(run, owner, now, db)
                return .acquired(previousOwner: holder)
            }
            try Self.writeLease(run, owner, now, db)
            return .acquired(previousOwner: nil)
        }
    }

    static func writeLease(_ run: RunKey, _ owner: ProcessIdentity, _ now: Date, _ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO run_lease(dag_id, run_id, pid, process_start, host, acquired_at) VALUES (?,?,?,?,?,?)
            """, arguments: [run.dagId, run.runId, owner.pid, Int64(owner.startTime), owner.host, now.timeIntervalSince1970])
    }

    public func releaseLease(run: RunKey, owner: ProcessIdentity) throws {
        try write { db in
            try db.execute(sql: """
                DELETE FROM run_lease WHERE dag_id = ? AND run_id = ? AND pid = ? AND process_start = ? AND host = ?
                """, arguments: [run.dagId, run.runId, owner.pid, Int64(owner.startTime), owner.host])
        }
    }

    public func leases() throws -> [RunLease] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT dag_id, run_id, pid, process_start, host, acquired_at FROM run_lease").map {
                RunLease(run: RunKey($0[0], $0[1]),
                         owner: ProcessIdentity(pid: $0[2], startTime: UInt64($0[3] as Int64), host: $0[4]),
                         acquiredAt: Date(timeIntervalSince1970: $0[5]))
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
                for table in ["task_instance", "task_instance_history", "xcom", "factory_input", "run_lease", "dag_run"] {
                    try db.execute(sql: "DELETE FROM \(table) WHERE dag_id = ? AND run_id = ?",
                                   arguments: [run.dagId, run.runId])
                }
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
