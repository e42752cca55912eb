import Foundation
import Logging
import PostgresNIO
import UpdraftCore
import UpdraftStore

extension PostgresStateStore {
    /// The run's `run_fence` row (created at token 0 if missing) is locked `FOR UPDATE` first: every
    /// acquirer of one run waits there, so of two schedulers racing for it exactly one takes it,
    /// and the other then reads the winner's lease.
    public func acquireLease(
        run: RunKey, owner: ProcessIdentity, now: Date, timeout: TimeInterval,
        isAlive: @Sendable (ProcessIdentity) -> Bool
    ) async throws -> LeaseOutcome {
        let localHost = localHost
        return try await transaction { connection in
            try await connection.query(
                """
                INSERT INTO run_fence(dag_id, run_id, fencing_token) VALUES (\(run.dagId), \(run.runId), 0)
                ON CONFLICT (dag_id, run_id) DO NOTHING
                """, logger: logger)
            let last =
                try await connection.query(
                    "SELECT fencing_token FROM run_fence WHERE dag_id = \(run.dagId) AND run_id = \(run.runId) FOR UPDATE",
                    logger: logger
                ).collect().first?.decode(Int64.self) ?? 0
            let current = try await connection.query(
                "SELECT \(unescaped: Self.leaseColumns) FROM run_lease WHERE dag_id = \(run.dagId) AND run_id = \(run.runId)",
                logger: logger
            ).collect().first.map(Self.lease(from:))
            if let current {
                if current.owner == owner {
                    try await Self.renew(current.token, now: now, timeout: timeout, connection, logger)
                    return .acquired(current.token, previousOwner: nil)
                }
                // A pid means something only on its own host: elsewhere only the expiry counts.
                let alive = current.owner.host != localHost || isAlive(current.owner)
                if current.expiresAt >= now, alive { return .heldBy(current.owner) }
            }
            let token = LeaseToken(run: run, owner: owner, fencingToken: last + 1)
            try await connection.query(
                "UPDATE run_fence SET fencing_token = \(token.fencingToken) WHERE dag_id = \(run.dagId) AND run_id = \(run.runId)",
                logger: logger)
            let at = now.timeIntervalSince1970, expires = now.addingTimeInterval(timeout).timeIntervalSince1970
            try await connection.query(
                """
                INSERT INTO run_lease(dag_id, run_id, pid, process_start, host, acquired_at, heartbeat_at, expires_at,
                    fencing_token)
                VALUES (\(run.dagId), \(run.runId), \(Int64(owner.pid)), \(Int64(bitPattern: owner.startTime)), \(owner.host),
                    \(at), \(at), \(expires), \(token.fencingToken))
                ON CONFLICT (dag_id, run_id) DO UPDATE SET pid = excluded.pid, process_start = excluded.process_start,
                    host = excluded.host, acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at,
                    expires_at = excluded.expires_at, fencing_token = excluded.fencing_token
                """, logger: logger)
            return .acquired(token, previousOwner: current?.owner)
        }
    }

    static let leaseColumns = "dag_id, run_id, pid, process_start, host, acquired_at, heartbeat_at, expires_at, fencing_token"

    static func lease(from row: PostgresRow) throws -> RunLease {
        let (dagId, runId, pid, start, host, acquired, heartbeat, expires, token) = try row.decode(
            (String, String, Int64, Int64, String, Double, Double?, Double?, Int64).self)
        return RunLease(
            run: RunKey(dagId, runId),
            owner: ProcessIdentity(pid: Int32(truncatingIfNeeded: pid), startTime: UInt64(bitPattern: start), host: host),
            acquiredAt: acquired.date, heartbeatAt: heartbeat.date, expiresAt: expires.date, fencingToken: token)
    }

    /// Throws `leaseLost` unless `token` holds the run's lease; the lease row stays locked (`lock`:
    /// `FOR SHARE` for fenced commits, which may run side by side; `FOR UPDATE` to change it) until
    /// the transaction ends, so no takeover interleaves.
    static func checkFence(_ token: LeaseToken, lock: String, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let row = try await connection.query(
            """
            SELECT fencing_token, pid, process_start, host FROM run_lease
            WHERE dag_id = \(token.run.dagId) AND run_id = \(token.run.runId) \(unescaped: lock)
            """, logger: logger
        ).collect().first
        guard let row else { throw StoreError.leaseLost(token.run, token.owner) }
        let (fencing, pid, start, host) = try row.decode((Int64, Int64, Int64, String).self)
        guard fencing == token.fencingToken, pid == Int64(token.owner.pid), UInt64(bitPattern: start) == token.owner.startTime,
            host == token.owner.host
        else { throw StoreError.leaseLost(token.run, token.owner) }
    }

    static func renew(
        _ token: LeaseToken, now: Date, timeout: TimeInterval, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        try await checkFence(token, lock: "FOR UPDATE", connection, logger)
        try await connection.query(
            """
            UPDATE run_lease SET heartbeat_at = \(now.timeIntervalSince1970), expires_at = \(now.addingTimeInterval(timeout).timeIntervalSince1970)
            WHERE dag_id = \(token.run.dagId) AND run_id = \(token.run.runId)
            """, logger: logger)
    }

    public func renewLease(_ token: LeaseToken, now: Date, timeout: TimeInterval) async throws {
        try await transaction { connection in try await Self.renew(token, now: now, timeout: timeout, connection, logger) }
    }

    public func releaseLease(_ token: LeaseToken) async throws {
        try await transaction { connection in
            try await Self.checkFence(token, lock: "FOR UPDATE", connection, logger)
            try await connection.query(
                "DELETE FROM run_lease WHERE dag_id = \(token.run.dagId) AND run_id = \(token.run.runId)", logger: logger)
        }
    }

    public func leases() async throws -> [RunLease] {
        try await rows("SELECT \(unescaped: Self.leaseColumns) FROM run_lease ORDER BY dag_id, run_id").map(Self.lease(from:))
    }

    public func registerScheduler(_ owner: ProcessIdentity, now: Date) async throws {
        try await execute(
            """
            INSERT INTO scheduler_job(pid, process_start, host, started_at)
            VALUES (\(Int64(owner.pid)), \(Int64(bitPattern: owner.startTime)), \(owner.host), \(now.timeIntervalSince1970))
            ON CONFLICT (pid, process_start, host) DO UPDATE SET started_at = excluded.started_at
            """)
    }

    public func unregisterScheduler(_ owner: ProcessIdentity) async throws {
        try await execute(
            """
            DELETE FROM scheduler_job
            WHERE pid = \(Int64(owner.pid)) AND process_start = \(Int64(bitPattern: owner.startTime)) AND host = \(owner.host)
            """)
    }

    public func schedulers() async throws -> [ProcessIdentity] {
        try await rows("SELECT pid, process_start, host FROM scheduler_job ORDER BY host, pid").map { row in
            let (pid, start, host) = try row.decode((Int64, Int64, String).self)
            return ProcessIdentity(pid: Int32(truncatingIfNeeded: pid), startTime: UInt64(bitPattern: start), host: host)
        }
    }

    public func deleteRuns(endedBefore date: Date) async throws -> [DAGRun] {
        try await transaction { connection in
            let runs = try await connection.query(
                """
                SELECT \(unescaped: Self.runColumns) FROM dag_run
                WHERE state IN ('success', 'failed') AND end_date < \(date.timeIntervalSince1970) FOR UPDATE
                """, logger: logger
            ).collect().map(Self.run(from:))
            try await Self.delete(runs.map(\.key), connection, logger)
            return runs
        }
    }

    public func deleteRun(_ key: RunKey) async throws -> Bool {
        try await transaction { connection in
            guard
                try await !connection.query(
                    "SELECT 1 FROM dag_run WHERE dag_id = \(key.dagId) AND run_id = \(key.runId) FOR UPDATE", logger: logger
                ).collect().isEmpty
            else { return false }
            try await Self.delete([key], connection, logger)
            return true
        }
    }

    /// Deletes every row of these runs, one statement per table, in the caller's transaction.
    static func delete(_ keys: [RunKey], _ connection: PostgresConnection, _ logger: Logger) async throws {
        guard !keys.isEmpty else { return }
        for table in [
            "task_instance", "task_instance_history", "xcom", "factory_input", "run_lease", "run_fence",
            "dag_run_asset_event", "dag_run",
        ] {
            try await connection.query(
                """
                DELETE FROM \(unescaped: table) t USING UNNEST(\(keys.map(\.dagId))::text[], \(keys.map(\.runId))::text[]) AS k(dag_id, run_id)
                WHERE t.dag_id = k.dag_id AND t.run_id = k.run_id
                """, logger: logger)
        }
    }
}
