import Foundation
import NIOCore
import PostgresNIO
import UpdraftCore
import UpdraftStore

extension PostgresStateStore {
    /// One statement, one round trip: the queue's insert of a commit (`INSERT … ON CONFLICT DO
    /// NOTHING`), which also `NOTIFY`s each queue, so idle workers of those queues wake at once.
    public func enqueueTries(_ entries: [QueuedTry]) async throws {
        var batch = StateBatch()
        batch.queuedTries = entries
        try await commit(batch)
    }

    /// Rows locked by another claimer are skipped (`FOR UPDATE SKIP LOCKED`): two workers claiming at
    /// once never get the same try. Each claim takes the next `claim_token_seq` value.
    public func claimTries(
        worker: String, queues: [String], limit: Int, now: Date, timeout: TimeInterval
    ) async throws
        -> [(QueuedTry, TryClaim)]
    {
        guard !queues.isEmpty, limit > 0 else { return [] }
        let t = now.timeIntervalSince1970
        var binds = PostgresBindings()
        binds.append(queues); binds.append(Int64(limit)); binds.append(worker); binds.append(t); binds.append(t + timeout)
        return Self.claims(try await rows(ClaimTries.self, binds).map(Self.queuedTry), worker: worker)
    }

    enum ClaimTries: FixedStatement {
        static let prepared = true
        static let text = "WITH " + claim(queues: 1, limit: 2, worker: 3, at: 4, expires: 5) + "\nSELECT * FROM claimed"
    }

    /// The CTEs of a claim, their binds at the given positions: `due` (the queued rows taken,
    /// highest priority then oldest, skipping locked ones) and `claimed` (those rows as running,
    /// each with a new token, returning `queueColumns`).
    static func claim(queues: Int, limit: Int, worker: Int, at: Int, expires: Int) -> String {
        """
        due AS (
            SELECT dag_id, run_id, task_id, try_number FROM task_queue
            WHERE state = 'queued' AND queue = ANY($\(queues)::text[])
            ORDER BY priority DESC, enqueued_at, dag_id, run_id, task_id
            LIMIT $\(limit)::bigint FOR UPDATE SKIP LOCKED),
        claimed AS (
            UPDATE task_queue q SET state = 'running', worker = $\(worker)::text, claim_token = nextval('claim_token_seq'),
                claimed_at = $\(at)::float8, heartbeat_at = $\(at)::float8, expires_at = $\(expires)::float8
            FROM due WHERE q.dag_id = due.dag_id AND q.run_id = due.run_id AND q.task_id = due.task_id
                AND q.try_number = due.try_number
            RETURNING \(queueColumns.map { "q." + $0 }.joined(separator: ", ")))
        """
    }

    /// Claimed rows as claims of `worker`, highest priority then oldest first.
    static func claims(_ records: [QueuedTryRecord], worker: String) -> [(QueuedTry, TryClaim)] {
        records.map { ($0.entry, TryClaim(key: $0.entry.key, token: $0.claimToken ?? 0, worker: worker)) }
            .sorted { ($0.0.priority, $1.0.enqueuedAt) > ($1.0.priority, $0.0.enqueuedAt) }
    }

    public func renewClaims(_ claims: [TryClaim], now: Date, timeout: TimeInterval) async throws -> [TryClaim] {
        guard !claims.isEmpty else { return [] }
        let t = now.timeIntervalSince1970
        let rows = try await self.rows(
            """
            UPDATE task_queue q SET heartbeat_at = \(t), expires_at = \(t + timeout)
            FROM UNNEST(\(claims.map(\.key.dagId))::text[], \(claims.map(\.key.runId))::text[], \(claims.map(\.key.taskId))::text[],
                \(claims.map { Int64($0.key.tryNumber) })::bigint[], \(claims.map(\.token))::bigint[])
                AS k(dag_id, run_id, task_id, try_number, token)
            WHERE q.dag_id = k.dag_id AND q.run_id = k.run_id AND q.task_id = k.task_id AND q.try_number = k.try_number
                AND q.state = 'running' AND q.claim_token = k.token
            RETURNING q.claim_token
            """)
        let held = Set(try rows.map { try $0.decode(Int64.self) })
        return claims.filter { held.contains($0.token) }
    }

    /// One statement for the whole batch: each result is applied only under its try's current
    /// claim (the row lock decides against a concurrent interruption), the log tails are appended,
    /// and each applied result `NOTIFY`s the run's owner (with the result itself when it is at most
    /// 5,000 bytes, so the owner need not read it back), all committed together.
    public func completeTries(_ results: [TryResult], now: Date) async throws -> Set<TryKey> {
        guard !results.isEmpty else { return [] }
        let keys = results.map(\.claim.key)
        let applied = try await rows(CompleteTries.self, Self.completionBinds(results, now: now))
        let done = Set(
            try applied.map { row in
                let (dag, run, task, number, _) = try row.decode((String, String, String, Int64, String).self)
                return TryKey(dagId: dag, runId: run, taskId: task, tryNumber: Int(number))
            })
        return Set(keys.filter { !done.contains($0) })
    }

    /// One statement: the results as `CompleteTries` applies them, and a claim as `ClaimTries`
    /// makes (other rows: queued ones, not the running ones the results end).
    public func completeAndClaim(
        _ results: [TryResult], worker: String, queues: [String], limit: Int, now: Date, timeout: TimeInterval
    ) async throws -> (refused: Set<TryKey>, claimed: [(QueuedTry, TryClaim)]) {
        guard !results.isEmpty, !queues.isEmpty, limit > 0 else {
            let refused = try await completeTries(results, now: now)
            return (refused, try await claimTries(worker: worker, queues: queues, limit: limit, now: now, timeout: timeout))
        }
        let keys = results.map(\.claim.key)
        var binds = Self.completionBinds(results, now: now)
        binds.append(queues); binds.append(Int64(limit)); binds.append(worker); binds.append(now.timeIntervalSince1970 + timeout)
        var done = Set<TryKey>()
        var claimed: [QueuedTryRecord] = []
        for row in try await rows(CompleteAndClaim.self, binds) {
            var cells = RowReader(row)
            if try cells.next(Bool.self) {
                claimed.append(try Self.queuedTry(&cells))
            } else {
                done.insert(
                    TryKey(
                        dagId: try cells.next(), runId: try cells.next(), taskId: try cells.next(),
                        tryNumber: Int(try cells.next(Int64.self))))
            }
        }
        return (Set(keys.filter { !done.contains($0) }), Self.claims(claimed, worker: worker))
    }

    /// The CTEs that apply results (binds $1–$9, `completionBinds`): `r` (the results),
    /// `logged` (their log tails) and `done` (the rows each result's current claim made done).
    static let completion = """
        WITH r AS (
            SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bytea[], $7::bigint[],
                $8::bytea[]) AS r(dag_id, run_id, task_id, try_number, token, result, log_offset, log_tail)),
        logged AS (
            INSERT INTO task_log_chunk(dag_id, run_id, task_id, try_number, "offset", bytes)
            SELECT dag_id, run_id, task_id, try_number, log_offset, log_tail FROM r WHERE length(log_tail) > 0
            ON CONFLICT DO NOTHING),
        done AS (
            UPDATE task_queue q SET state = 'done', result = r.result, finished_at = $9::float8
            FROM r WHERE q.dag_id = r.dag_id AND q.run_id = r.run_id AND q.task_id = r.task_id
                AND q.try_number = r.try_number AND q.state = 'running' AND q.claim_token = r.token
            RETURNING q.dag_id, q.run_id, q.task_id, q.try_number, q.result)
        """

    /// The finished signal of a `done` row (with its result when that is at most 5,000 bytes).
    static let finishedSignal = """
        pg_notify('\(QueueChannel.finished)', dag_id || chr(31) || run_id || chr(31) || task_id || chr(31) || try_number::text
            || CASE WHEN length(result) <= 5000 THEN chr(30) || encode(result, 'base64') ELSE '' END)::text
        """

    /// The binds of `completion`.
    static func completionBinds(_ results: [TryResult], now: Date) -> PostgresBindings {
        let keys = results.map(\.claim.key)
        var binds = PostgresBindings()
        binds.append(keys.map(\.dagId)); binds.append(keys.map(\.runId)); binds.append(keys.map(\.taskId))
        binds.append(keys.map { Int64($0.tryNumber) }); binds.append(results.map(\.claim.token))
        binds.append(PostgresColumn<ByteBuffer>(bytes: results.map(\.result))); binds.append(results.map(\.logOffset))
        binds.append(PostgresColumn<ByteBuffer>(bytes: results.map(\.logTail))); binds.append(now.timeIntervalSince1970)
        return binds
    }

    enum CompleteAndClaim: FixedStatement {
        static let prepared = true
        static let text =
            completion + ",\n" + claim(queues: 10, limit: 11, worker: 12, at: 9, expires: 13) + """

                SELECT true, * FROM claimed
                UNION ALL
                SELECT false, dag_id, run_id, task_id, try_number, \(finishedSignal),
                    NULL::bigint, NULL::bytea, NULL::text, NULL::float8, NULL::text, NULL::text, NULL::bigint, NULL::float8,
                    NULL::float8, NULL::float8, NULL::float8, NULL::bytea, NULL::text
                FROM done
                """
    }

    enum CompleteTries: FixedStatement {
        static let prepared = true
        static let text = completion + "\nSELECT dag_id, run_id, task_id, try_number, \(finishedSignal) FROM done"
    }

    public func queuedTry(_ key: TryKey) async throws -> QueuedTryRecord? {
        try await queuedTries([key]).first
    }

    public func queuedTries(_ keys: [TryKey]) async throws -> [QueuedTryRecord] {
        guard !keys.isEmpty else { return [] }
        var binds = PostgresBindings()
        binds.append(keys.map(\.dagId)); binds.append(keys.map(\.runId)); binds.append(keys.map(\.taskId))
        binds.append(keys.map { Int64($0.tryNumber) })
        let rows = try await self.rows(QueuedTriesByKey.self, binds)
        return try rows.map(Self.queuedTry)
    }

    enum QueuedTriesByKey: FixedStatement {
        static let prepared = false
        static let text = """
            SELECT \(queueColumns.map { "q." + $0 }.joined(separator: ", ")) FROM task_queue q
            JOIN UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[]) AS k(dag_id, run_id, task_id, try_number)
            ON q.dag_id = k.dag_id AND q.run_id = k.run_id AND q.task_id = k.task_id AND q.try_number = k.try_number
            """
    }

    public func queuedTries(state: QueuedTryState?) async throws -> [QueuedTryRecord] {
        let columns = Self.queueColumns.joined(separator: ", ")
        let rows: [PostgresRow]
        if let state {
            rows = try await self.rows(
                "SELECT \(unescaped: columns) FROM task_queue WHERE state = \(state.rawValue) ORDER BY enqueued_at, dag_id, run_id, task_id"
            )
        } else {
            rows = try await self.rows("SELECT \(unescaped: columns) FROM task_queue ORDER BY enqueued_at, dag_id, run_id, task_id")
        }
        return try rows.map(Self.queuedTry)
    }

    public func interruptTry(_ key: TryKey, reason: String, now: Date, force: Bool) async throws -> Bool {
        let t = now.timeIntervalSince1970
        let updated = try await rows(
            """
            WITH cut AS (
                UPDATE task_queue SET state = 'interrupted', reason = \(reason), finished_at = \(t)
                WHERE dag_id = \(key.dagId) AND run_id = \(key.runId) AND task_id = \(key.taskId)
                    AND try_number = \(Int64(key.tryNumber))
                    AND (state = 'queued' AND \(force) OR state = 'running' AND (expires_at < \(t) OR \(force)))
                RETURNING 1)
            SELECT pg_notify(\(QueueChannel.finished), \(key.signalText)) FROM cut
            """)
        return !updated.isEmpty
    }

    public func pruneQueuedTries(finishedBefore date: Date) async throws -> Int {
        let t = date.timeIntervalSince1970
        return try await transaction { connection in
            try await connection.query(
                """
                DELETE FROM task_log_chunk c USING task_queue q
                WHERE q.dag_id = c.dag_id AND q.run_id = c.run_id AND q.task_id = c.task_id AND q.try_number = c.try_number
                    AND q.state IN ('done', 'interrupted') AND q.finished_at < \(t)
                """, logger: logger)
            let rows = try await connection.query(
                "DELETE FROM task_queue WHERE state IN ('done', 'interrupted') AND finished_at < \(t) RETURNING 1", logger: logger
            ).collect()
            return rows.count
        }
    }

    public func saveWorker(_ worker: WorkerRecord) async throws {
        try await execute(
            """
            INSERT INTO worker(id, kind, host, pid, queues, slots, running, version, started_at, heartbeat_at)
            VALUES (\(worker.id), \(worker.kind), \(worker.host), \(Int64(worker.pid)), \(worker.queues.joined(separator: ",")),
                \(Int64(worker.slots)), \(Int64(worker.running)), \(worker.version), \(worker.startedAt.timeIntervalSince1970),
                \(worker.heartbeatAt.timeIntervalSince1970))
            ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, host = excluded.host, pid = excluded.pid, queues = excluded.queues,
                slots = excluded.slots, running = excluded.running, version = excluded.version, started_at = excluded.started_at,
                heartbeat_at = excluded.heartbeat_at
            """)
    }

    public func removeWorker(id: String) async throws {
        try await execute("DELETE FROM worker WHERE id = \(id)")
    }

    public func workers() async throws -> [WorkerRecord] {
        let rows = try await self.rows(
            "SELECT id, kind, host, pid, queues, slots, running, version, started_at, heartbeat_at FROM worker ORDER BY kind, id")
        return try rows.map { row in
            var cells = RowReader(row)
            return WorkerRecord(
                id: try cells.next(), kind: try cells.next(), host: try cells.next(), pid: Int32(try cells.next(Int64.self)),
                queues: try cells.next(String.self).split(separator: ",").map(String.init), slots: Int(try cells.next(Int64.self)),
                running: Int(try cells.next(Int64.self)), version: try cells.next(), startedAt: try cells.next(Double.self).date,
                heartbeatAt: try cells.next(Double.self).date)
        }
    }

    /// Committed without waiting for the WAL flush: a chunk lost in a server crash is a gap in a
    /// copy of a log (the worker's file keeps it), never a wrong state.
    public func appendLogChunk(_ key: TryKey, offset: Int64, bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await transaction { connection in
            try await connection.query("SET LOCAL synchronous_commit = off", logger: logger)
            try await connection.query(
                """
                INSERT INTO task_log_chunk(dag_id, run_id, task_id, try_number, "offset", bytes)
                VALUES (\(key.dagId), \(key.runId), \(key.taskId), \(Int64(key.tryNumber)), \(offset), \(ByteBuffer(bytes: bytes)))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
    }

    public func logChunks(_ key: TryKey, from offset: Int64) async throws -> [UInt8] {
        let rows = try await self.rows(
            """
            SELECT "offset", bytes FROM task_log_chunk
            WHERE dag_id = \(key.dagId) AND run_id = \(key.runId) AND task_id = \(key.taskId) AND try_number = \(Int64(key.tryNumber))
            ORDER BY "offset"
            """)
        let chunks = try rows.map { row -> (start: Int64, bytes: [UInt8]) in
            let (start, buffer) = try row.decode((Int64, ByteBuffer).self)
            return (start, buffer.bytes)
        }
        return ShippedLog.assemble(chunks, from: offset)
    }

    static let queueColumns = [
        "dag_id", "run_id", "task_id", "try_number", "queue", "priority", "payload", "dag_hash", "enqueued_at", "state", "worker",
        "claim_token", "claimed_at", "heartbeat_at", "expires_at", "finished_at", "result", "reason",
    ]

    static func queuedTry(_ row: PostgresRow) throws -> QueuedTryRecord {
        var cells = RowReader(row)
        return try queuedTry(&cells)
    }

    /// The `queueColumns` from the reader's position on.
    static func queuedTry(_ cells: inout RowReader) throws -> QueuedTryRecord {
        let key = TryKey(
            dagId: try cells.next(), runId: try cells.next(), taskId: try cells.next(), tryNumber: Int(try cells.next(Int64.self)))
        let entry = QueuedTry(
            key: key, queue: try cells.next(), priority: Int(try cells.next(Int64.self)), payload: try cells.next(ByteBuffer.self).bytes,
            dagHash: try cells.next(), enqueuedAt: try cells.next(Double.self).date)
        let state = QueuedTryState(rawValue: try cells.next(String.self)) ?? .interrupted
        return QueuedTryRecord(
            entry: entry, state: state, worker: try cells.next(), claimToken: try cells.next(),
            claimedAt: try cells.next(Double?.self).date,
            heartbeatAt: try cells.next(Double?.self).date, expiresAt: try cells.next(Double?.self).date,
            finishedAt: try cells.next(Double?.self).date, result: try cells.next(ByteBuffer?.self)?.bytes, reason: try cells.next())
    }
}

extension PostgresStateStore: QueueSignalling {
    /// `LISTEN` on one pooled connection held for as long as the stream is consumed; a lost
    /// connection is replaced after a pause (readers poll anyway, so a gap costs only latency).
    /// `QueueChannel.listening` comes first, once the server confirmed the `LISTEN`.
    public func signals(_ channel: String) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(4096))
        let client = self.client, logger = self.logger
        let listener = Task {
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            continuation.yield(QueueChannel.listening)
                            for try await notification in notifications { continuation.yield(notification.payload) }
                        }
                    }
                } catch {
                    if Task.isCancelled { break }
                    logger.debug("LISTEN \(channel) lost its connection; listening again", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(1))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in listener.cancel() }
        return stream
    }
}

extension PostgresStateStore: StoreMaintenance {
    public var location: String { url.description }

    /// Opens PostgreSQL stores for `state.url` (`postgresql://` and `postgres://`); the password
    /// comes apart from the URL (`state.password`).
    public static let backend = StoreBackend(schemes: ["postgresql", "postgres"]) { text, password in
        var url = try PostgresURL(text)
        if let password { url.password = password }
        return try await PostgresStateStore.connect(url: url)
    }
}
