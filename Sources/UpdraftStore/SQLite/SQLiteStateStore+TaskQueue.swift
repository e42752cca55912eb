import Foundation
import GRDB
import UpdraftCore

extension SQLiteStateStore {
    public func enqueueTries(_ entries: [QueuedTry]) async throws {
        guard !entries.isEmpty else { return }
        try write { db in try Self.enqueue(entries, db) }
    }

    /// Inserts queue rows in the caller's transaction (a try already queued keeps its row).
    static func enqueue(_ entries: [QueuedTry], _ db: Database) throws {
        guard !entries.isEmpty else { return }
        let statement = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO task_queue(dag_id, run_id, task_id, try_number, queue, priority, payload, dag_hash,
                    enqueued_at) VALUES (?,?,?,?,?,?,?,?,?)
                """)
        for entry in entries {
            try statement.execute(arguments: [
                entry.key.dagId, entry.key.runId, entry.key.taskId, entry.key.tryNumber, entry.queue, entry.priority,
                Data(entry.payload), entry.dagHash, entry.enqueuedAt.timeIntervalSince1970,
            ])
        }
    }

    public func claimTries(
        worker: String, queues: [String], limit: Int, now: Date, timeout: TimeInterval
    ) async throws
        -> [(QueuedTry, TryClaim)]
    {
        guard !queues.isEmpty, limit > 0 else { return [] }
        // One write transaction: SQLite has one writer at a time, so no two claimers see one row.
        return try write { db in
            let marks = Array(repeating: "?", count: queues.count).joined(separator: ",")
            var arguments = StatementArguments(queues)
            arguments += [limit]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.queueColumns) FROM task_queue WHERE state = 'queued' AND queue IN (\(marks))
                    ORDER BY priority DESC, enqueued_at, dag_id, run_id, task_id LIMIT ?
                    """, arguments: arguments)
            var claimed: [(QueuedTry, TryClaim)] = []
            for row in rows {
                let record = Self.queuedTry(from: row)
                try db.execute(sql: "UPDATE claim_sequence SET last = last + 1 WHERE id = 1")
                let token = try Int64.fetchOne(db, sql: "SELECT last FROM claim_sequence WHERE id = 1") ?? 1
                let key = record.entry.key
                try db.execute(
                    sql: """
                        UPDATE task_queue SET state = 'running', worker = ?, claim_token = ?, claimed_at = ?, heartbeat_at = ?,
                            expires_at = ? WHERE dag_id = ? AND run_id = ? AND task_id = ? AND try_number = ?
                        """,
                    arguments: [
                        worker, token, now.timeIntervalSince1970, now.timeIntervalSince1970,
                        now.addingTimeInterval(timeout).timeIntervalSince1970, key.dagId, key.runId, key.taskId, key.tryNumber,
                    ])
                claimed.append((record.entry, TryClaim(key: key, token: token, worker: worker)))
            }
            return claimed
        }
    }

    public func renewClaims(_ claims: [TryClaim], now: Date, timeout: TimeInterval) async throws -> [TryClaim] {
        guard !claims.isEmpty else { return [] }
        return try write { db in
            var held: [TryClaim] = []
            for claim in claims {
                try db.execute(
                    sql: """
                        UPDATE task_queue SET heartbeat_at = ?, expires_at = ?
                        WHERE dag_id = ? AND run_id = ? AND task_id = ? AND try_number = ? AND state = 'running' AND claim_token = ?
                        """,
                    arguments: [
                        now.timeIntervalSince1970, now.addingTimeInterval(timeout).timeIntervalSince1970, claim.key.dagId,
                        claim.key.runId, claim.key.taskId, claim.key.tryNumber, claim.token,
                    ])
                if db.changesCount > 0 { held.append(claim) }
            }
            return held
        }
    }

    public func completeTries(_ results: [TryResult], now: Date) async throws -> Set<TryKey> {
        guard !results.isEmpty else { return [] }
        return try write { db in
            var refused: Set<TryKey> = []
            for entry in results {
                let key = entry.claim.key
                try db.execute(
                    sql: """
                        UPDATE task_queue SET state = 'done', result = ?, finished_at = ?
                        WHERE dag_id = ? AND run_id = ? AND task_id = ? AND try_number = ? AND state = 'running' AND claim_token = ?
                        """,
                    arguments: [
                        Data(entry.result), now.timeIntervalSince1970, key.dagId, key.runId, key.taskId, key.tryNumber,
                        entry.claim.token,
                    ])
                if db.changesCount == 0 { refused.insert(key) }
                if !entry.logTail.isEmpty {
                    try db.execute(
                        sql: """
                            INSERT OR IGNORE INTO task_log_chunk(dag_id, run_id, task_id, try_number, "offset", bytes)
                            VALUES (?,?,?,?,?,?)
                            """,
                        arguments: [key.dagId, key.runId, key.taskId, key.tryNumber, entry.logOffset, Data(entry.logTail)])
                }
            }
            return refused
        }
    }

    public func queuedTry(_ key: TryKey) async throws -> QueuedTryRecord? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT \(Self.queueColumns) FROM task_queue WHERE dag_id = ? AND run_id = ? AND task_id = ? AND try_number = ?
                    """, arguments: [key.dagId, key.runId, key.taskId, key.tryNumber]
            ).map(Self.queuedTry(from:))
        }
    }

    public func queuedTries(_ keys: [TryKey]) async throws -> [QueuedTryRecord] {
        guard !keys.isEmpty else { return [] }
        return try read { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT \(Self.queueColumns) FROM task_queue WHERE dag_id = ? AND run_id = ? AND task_id = ? AND try_number = ?
                    """)
            return try keys.compactMap { key in
                try Row.fetchOne(statement, arguments: [key.dagId, key.runId, key.taskId, key.tryNumber]).map(Self.queuedTry(from:))
            }
        }
    }

    public func queuedTries(state: QueuedTryState?) async throws -> [QueuedTryRecord] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.queueColumns) FROM task_queue\(state == nil ? "" : " WHERE state = ?") ORDER BY enqueued_at",
                arguments: StatementArguments(state.map { [$0.rawValue] } ?? [])
            ).map(Self.queuedTry(from:))
        }
    }

    public func interruptTry(_ key: TryKey, reason: String, now: Date, force: Bool) async throws -> Bool {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE task_queue SET state = 'interrupted', reason = ?, finished_at = ?
                    WHERE dag_id = ? AND run_id = ? AND task_id = ? AND try_number = ?
                        AND (state = 'queued' AND ? OR state = 'running' AND (expires_at < ? OR ?))
                    """,
                arguments: [
                    reason, now.timeIntervalSince1970, key.dagId, key.runId, key.taskId, key.tryNumber, force,
                    now.timeIntervalSince1970, force,
                ])
            return db.changesCount > 0
        }
    }

    public func pruneQueuedTries(finishedBefore date: Date) async throws -> Int {
        try write { db in
            try db.execute(
                sql: """
                    DELETE FROM task_log_chunk WHERE (dag_id, run_id, task_id, try_number) IN (
                        SELECT dag_id, run_id, task_id, try_number FROM task_queue
                        WHERE state IN ('done', 'interrupted') AND finished_at < ?)
                    """, arguments: [date.timeIntervalSince1970])
            try db.execute(
                sql: "DELETE FROM task_queue WHERE state IN ('done', 'interrupted') AND finished_at < ?",
                arguments: [date.timeIntervalSince1970])
            return db.changesCount
        }
    }

    public func saveWorker(_ worker: WorkerRecord) async throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO worker(id, kind, host, pid, queues, slots, running, version, started_at, heartbeat_at)
                    VALUES (?,?,?,?,?,?,?,?,?,?)
                    """,
                arguments: [
                    worker.id, worker.kind, worker.host, worker.pid, worker.queues.joined(separator: ","), worker.slots,
                    worker.running, worker.version, worker.startedAt.timeIntervalSince1970,
                    worker.heartbeatAt.timeIntervalSince1970,
                ])
        }
    }

    public func removeWorker(id: String) async throws {
        try write { db in try db.execute(sql: "DELETE FROM worker WHERE id = ?", arguments: [id]) }
    }

    public func workers() async throws -> [WorkerRecord] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, kind, host, pid, queues, slots, running, version, started_at, heartbeat_at FROM worker
                    ORDER BY kind, id
                    """
            ).map { row in
                let queues: String = row[4]
                return WorkerRecord(
                    id: row[0], kind: row[1], host: row[2], pid: row[3],
                    queues: queues.split(separator: ",").map(String.init), slots: row[5], running: row[6],
                    version: row[7], startedAt: Date(timeIntervalSince1970: row[8]), heartbeatAt: Date(timeIntervalSince1970: row[9]))
            }
        }
    }

    public func appendLogChunk(_ key: TryKey, offset: Int64, bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO task_log_chunk(dag_id, run_id, task_id, try_number, "offset", bytes) VALUES (?,?,?,?,?,?)
                    """, arguments: [key.dagId, key.runId, key.taskId, key.tryNumber, offset, Data(bytes)])
        }
    }

    public func logChunks(_ key: TryKey, from offset: Int64) async throws -> [UInt8] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT "offset", bytes FROM task_log_chunk WHERE dag_id = ? AND run_id = ? AND task_id = ? AND try_number = ?
                    ORDER BY "offset"
                    """, arguments: [key.dagId, key.runId, key.taskId, key.tryNumber])
            return ShippedLog.assemble(rows.map { (start: $0[0] as Int64, bytes: Array($0[1] as Data)) }, from: offset)
        }
    }

    static let queueColumns = """
        dag_id, run_id, task_id, try_number, queue, priority, payload, dag_hash, enqueued_at, state, worker, claim_token, \
        claimed_at, heartbeat_at, expires_at, finished_at, result, reason
        """

    static func queuedTry(from row: Row) -> QueuedTryRecord {
        func date(_ index: Int) -> Date? { (row[index] as Double?).map(Date.init(timeIntervalSince1970:)) }
        return QueuedTryRecord(
            entry: QueuedTry(
                key: TryKey(dagId: row[0], runId: row[1], taskId: row[2], tryNumber: row[3]), queue: row[4], priority: row[5],
                payload: Array(row[6] as Data), dagHash: row[7], enqueuedAt: Date(timeIntervalSince1970: row[8])),
            state: QueuedTryState(rawValue: row[9]) ?? .interrupted, worker: row[10], claimToken: row[11],
            claimedAt: date(12), heartbeatAt: date(13), expiresAt: date(14), finishedAt: date(15),
            result: (row[16] as Data?).map { Array($0) }, reason: row[17])
    }
}

/// Chunks of a shipped log put together.
public enum ShippedLog {
    /// The bytes from `offset` on of chunks that start at `start` (ordered by it); a chunk that
    /// overlaps what came before contributes only its new bytes, and a gap ends the log there.
    public static func assemble(_ chunks: [(start: Int64, bytes: [UInt8])], from offset: Int64) -> [UInt8] {
        var result: [UInt8] = []
        var end: Int64 = 0
        for chunk in chunks {
            guard chunk.start <= end else { break }
            let chunkEnd = chunk.start + Int64(chunk.bytes.count)
            guard chunkEnd > end else { continue }
            let fresh = chunk.bytes[Int(end - chunk.start)...]
            let from = max(offset, end)
            if chunkEnd > from {
                result += fresh.dropFirst(Int(from - end))
            }
            end = chunkEnd
        }
        return result
    }
}
