import Foundation
import Logging
import PostgresNIO
import UpdraftCore
import UpdraftStore

extension PostgresStateStore {
    public func enqueueNotifications(_ drafts: [NotificationDraft]) async throws {
        guard !drafts.isEmpty else { return }
        try await transaction { connection in for draft in drafts { try await Self.enqueue(draft, connection, logger) } }
    }

    /// Inserts the message, or adds its items to the waiting one with its key and channel (locked
    /// `FOR UPDATE` while merging); a message already attempted or sent keeps what it had.
    static func enqueue(_ draft: NotificationDraft, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let inserted = try await connection.query(
            """
            INSERT INTO notification(key, channel, event, dag_id, run_id, title, lines, items, created_at, next_attempt_at)
            VALUES (\(draft.key), \(draft.channel), \(draft.event), \(draft.dagId), \(draft.runId), \(draft.title),
                \(try encode(draft.lines)), \(try encode(draft.items)), \(draft.createdAt.timeIntervalSince1970),
                \(draft.sendAfter.timeIntervalSince1970))
            ON CONFLICT (key, channel) DO NOTHING RETURNING id
            """, logger: logger
        ).collect()
        guard inserted.isEmpty, !draft.items.isEmpty else { return }
        guard
            let row = try await connection.query(
                """
                SELECT id, status, attempts, items FROM notification WHERE key = \(draft.key) AND channel = \(draft.channel) FOR UPDATE
                """, logger: logger
            ).collect().first
        else { return }
        let (id, status, attempts, itemsText) = try row.decode((Int64, String, Int, String).self)
        guard status == NotificationStatus.pending.rawValue, attempts == 0 else { return }
        let items = try decode([NotificationItem].self, itemsText)
        let merged = NotificationItem.merged(items, with: draft.items)
        guard merged != items else { return }
        try await connection.query("UPDATE notification SET items = \(try encode(merged)) WHERE id = \(id)", logger: logger)
    }

    /// Makes the waiting messages of ended runs due at once (at their creation time).
    static func release(_ runs: [RunKey], _ connection: PostgresConnection, _ logger: Logger) async throws {
        guard !runs.isEmpty else { return }
        try await connection.query(
            """
            UPDATE notification n SET next_attempt_at = LEAST(n.next_attempt_at, n.created_at)
            FROM UNNEST(\(runs.map(\.dagId))::text[], \(runs.map(\.runId))::text[]) AS k(dag_id, run_id)
            WHERE n.dag_id = k.dag_id AND n.run_id = k.run_id AND n.status = 'pending' AND n.attempts = 0
            """, logger: logger)
    }

    /// Rows locked by another claimer's transaction are skipped (`FOR UPDATE SKIP LOCKED`), so two
    /// processes claiming at once never get the same message.
    public func claimNotifications(owner: String, now: Date, limit: Int, lease: TimeInterval) async throws -> [NotificationRecord] {
        let t = now.timeIntervalSince1970
        return try await transaction { connection in
            try await connection.query(
                """
                WITH due AS (
                    SELECT id FROM notification
                    WHERE status = 'pending' AND next_attempt_at <= \(t) AND (claim_until IS NULL OR claim_until < \(t))
                    ORDER BY next_attempt_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                UPDATE notification n SET claim_owner = \(owner), claim_until = \(t + lease) FROM due WHERE n.id = due.id
                RETURNING \(unescaped: Self.notificationColumns("n."))
                """, logger: logger
            ).collect().map(Self.notification(from:)).sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
        }
    }

    public func recordNotificationAttempt(id: Int64, owner: String, at: Date, outcome: NotificationAttemptOutcome) async throws -> Bool {
        try await transaction { connection in
            guard
                let row = try await connection.query(
                    "SELECT attempts, channel, claim_owner FROM notification WHERE id = \(id) FOR UPDATE", logger: logger
                ).collect().first
            else { return false }
            let (attempts, channel, claimOwner) = try row.decode((Int, String, String?).self)
            guard claimOwner == owner else { return false }
            let number = attempts + 1
            let t = at.timeIntervalSince1970
            let error: String?
            switch outcome {
            case .sent:
                error = nil
                try await connection.query(
                    """
                    UPDATE notification SET status = 'sent', attempts = \(number), sent_at = \(t), claim_owner = NULL,
                        claim_until = NULL WHERE id = \(id)
                    """, logger: logger)
            case .retry(let message, let next):
                error = message
                try await connection.query(
                    """
                    UPDATE notification SET attempts = \(number), last_error = \(message),
                        next_attempt_at = \(next.timeIntervalSince1970), claim_owner = NULL, claim_until = NULL WHERE id = \(id)
                    """, logger: logger)
            case .failed(let message):
                error = message
                try await connection.query(
                    """
                    UPDATE notification SET status = 'failed', attempts = \(number), last_error = \(message),
                        claim_owner = NULL, claim_until = NULL WHERE id = \(id)
                    """, logger: logger)
            }
            try await connection.query(
                """
                INSERT INTO notification_attempt(notification_id, number, channel, at, error)
                VALUES (\(id), \(number), \(channel), \(t), \(error))
                """, logger: logger)
            return true
        }
    }

    public func postponeNotification(id: Int64, owner: String, until: Date) async throws {
        try await execute(
            """
            UPDATE notification SET next_attempt_at = \(until.timeIntervalSince1970), claim_owner = NULL, claim_until = NULL
            WHERE id = \(id) AND claim_owner = \(owner)
            """)
    }

    public func notificationAttemptCount(channel: String, since date: Date) async throws -> Int {
        try await rows(
            "SELECT count(*) FROM notification_attempt WHERE channel = \(channel) AND at >= \(date.timeIntervalSince1970)"
        ).first?.decode(Int.self) ?? 0
    }

    public func notifications(_ query: NotificationQuery) async throws -> [NotificationRecord] {
        var sql = SQLBuilder("SELECT \(Self.notificationColumns("")) FROM notification")
        var clauses: [String] = []
        if let status = query.status { clauses.append("status = \(sql.bind(status.rawValue))") }
        if let dagId = query.dagId { clauses.append("dag_id = \(sql.bind(dagId))") }
        if let channel = query.channel { clauses.append("channel = \(sql.bind(channel))") }
        sql += SQLBuilder.whereClause(clauses) + " ORDER BY created_at DESC, id DESC LIMIT \(sql.bind(query.limit))"
        return try await rows(sql.query).map(Self.notification(from:))
    }

    public func notificationAttempts(id: Int64) async throws -> [NotificationAttempt] {
        try await rows("SELECT number, at, error FROM notification_attempt WHERE notification_id = \(id) ORDER BY number").map { row in
            let (number, at, error) = try row.decode((Int, Double, String?).self)
            return NotificationAttempt(notificationId: id, number: number, at: at.date, error: error)
        }
    }

    public func deleteNotifications(before date: Date) async throws -> Int {
        try await rows(
            "DELETE FROM notification WHERE status IN ('sent', 'failed') AND created_at < \(date.timeIntervalSince1970) RETURNING 1"
        ).count
    }

    static func notificationColumns(_ prefix: String) -> String {
        [
            "id", "key", "channel", "event", "dag_id", "run_id", "title", "lines", "items", "created_at", "status", "attempts",
            "next_attempt_at", "sent_at", "last_error",
        ].map { prefix + $0 }.joined(separator: ", ")
    }

    static func notification(from row: PostgresRow) throws -> NotificationRecord {
        var r = RowReader(row)
        let id: Int64 = try r.next(), key: String = try r.next(), channel: String = try r.next(), event: String = try r.next()
        let dagId: String? = try r.next(), runId: String? = try r.next(), title: String = try r.next()
        let lines = try decode([String].self, try r.next()), items = try decode([NotificationItem].self, try r.next())
        let created: Double = try r.next(), status: String = try r.next(), attempts: Int = try r.next()
        let next: Double = try r.next(), sent: Double? = try r.next(), lastError: String? = try r.next()
        let draft = NotificationDraft(
            key: key, channel: channel, event: event, dagId: dagId, runId: runId, title: title, lines: lines, items: items,
            createdAt: created.date)
        return NotificationRecord(
            id: id, draft: draft, status: NotificationStatus(rawValue: status) ?? .pending, attempts: attempts,
            nextAttemptAt: next.date, sentAt: sent.date, lastError: lastError)
    }

    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        do { return try JSONDecoder().decode(type, from: Data(text.utf8)) } catch {
            throw StoreError.database("the outbox holds a malformed \(T.self): \(error)")
        }
    }
}
