import Foundation
import GRDB
import UpdraftCore

extension SQLiteStateStore {
    public func enqueueNotifications(_ drafts: [NotificationDraft]) async throws {
        guard !drafts.isEmpty else { return }
        try write { db in for draft in drafts { try Self.enqueue(draft, db) } }
    }

    /// Inserts the message, or adds its items to the waiting one with its key and channel;
    /// a message already attempted or sent keeps what it had (one message per key, ever).
    static func enqueue(_ draft: NotificationDraft, _ db: Database) throws {
        let existing = try Row.fetchOne(
            db, sql: "SELECT id, status, attempts, items FROM notification WHERE key = ? AND channel = ?",
            arguments: [draft.key, draft.channel])
        guard let existing else {
            try db.cachedStatement(
                sql: """
                    INSERT INTO notification(key, channel, event, dag_id, run_id, title, lines, items, created_at, next_attempt_at)
                    VALUES (?,?,?,?,?,?,?,?,?,?)
                    """
            ).execute(arguments: [
                draft.key, draft.channel, draft.event, draft.dagId, draft.runId, draft.title, try encode(draft.lines),
                try encode(draft.items), draft.createdAt.timeIntervalSince1970, draft.sendAfter.timeIntervalSince1970,
            ])
            return
        }
        let status: String = existing["status"], attempts: Int = existing["attempts"]
        guard status == NotificationStatus.pending.rawValue, attempts == 0, !draft.items.isEmpty else { return }
        let items = try decode([NotificationItem].self, existing["items"] as String)
        let merged = NotificationItem.merged(items, with: draft.items)
        guard merged != items else { return }
        try db.execute(
            sql: "UPDATE notification SET items = ? WHERE id = ?", arguments: [try encode(merged), existing["id"] as Int64])
    }

    /// Makes the waiting messages of ended runs due at once (at their creation time).
    static func release(_ runs: [RunKey], _ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                UPDATE notification SET next_attempt_at = min(next_attempt_at, created_at)
                WHERE dag_id = ? AND run_id = ? AND status = 'pending' AND attempts = 0
                """)
        for run in runs { try statement.execute(arguments: [run.dagId, run.runId]) }
    }

    public func claimNotifications(owner: String, now: Date, limit: Int, lease: TimeInterval) async throws -> [NotificationRecord] {
        try write { db in
            let t = now.timeIntervalSince1970
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM notification
                    WHERE status = 'pending' AND next_attempt_at <= ? AND (claim_until IS NULL OR claim_until < ?)
                    ORDER BY next_attempt_at, id LIMIT ?
                    """, arguments: [t, t, limit])
            let statement = try db.cachedStatement(sql: "UPDATE notification SET claim_owner = ?, claim_until = ? WHERE id = ?")
            for row in rows { try statement.execute(arguments: [owner, t + lease, row["id"] as Int64]) }
            return try rows.map(Self.notification)
        }
    }

    public func recordNotificationAttempt(id: Int64, owner: String, at: Date, outcome: NotificationAttemptOutcome) async throws -> Bool {
        try write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT attempts, channel, claim_owner FROM notification WHERE id = ?", arguments: [id]),
                row["claim_owner"] as String? == owner
            else { return false }
            let number = (row["attempts"] as Int) + 1
            let t = at.timeIntervalSince1970
            let error: String?
            switch outcome {
            case .sent:
                error = nil
                try db.execute(
                    sql: """
                        UPDATE notification SET status = 'sent', attempts = ?, sent_at = ?, claim_owner = NULL, claim_until = NULL
                        WHERE id = ?
                        """, arguments: [number, t, id])
            case .retry(let message, let next):
                error = message
                try db.execute(
                    sql: """
                        UPDATE notification SET attempts = ?, last_error = ?, next_attempt_at = ?, claim_owner = NULL,
                            claim_until = NULL WHERE id = ?
                        """, arguments: [number, message, next.timeIntervalSince1970, id])
            case .failed(let message):
                error = message
                try db.execute(
                    sql: """
                        UPDATE notification SET status = 'failed', attempts = ?, last_error = ?, claim_owner = NULL,
                            claim_until = NULL WHERE id = ?
                        """, arguments: [number, message, id])
            }
            try db.execute(
                sql: "INSERT INTO notification_attempt(notification_id, number, channel, at, error) VALUES (?,?,?,?,?)",
                arguments: [id, number, row["channel"] as String, t, error])
            return true
        }
    }

    public func postponeNotification(id: Int64, owner: String, until: Date) async throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE notification SET next_attempt_at = ?, claim_owner = NULL, claim_until = NULL
                    WHERE id = ? AND claim_owner = ?
                    """, arguments: [until.timeIntervalSince1970, id, owner])
        }
    }

    public func notificationAttemptCount(channel: String, since date: Date) async throws -> Int {
        try read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM notification_attempt WHERE channel = ? AND at >= ?",
                arguments: [channel, date.timeIntervalSince1970]) ?? 0
        }
    }

    public func notifications(_ query: NotificationQuery) async throws -> [NotificationRecord] {
        try read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let status = query.status { clauses.append("status = ?"); arguments += [status.rawValue] }
            if let dagId = query.dagId { clauses.append("dag_id = ?"); arguments += [dagId] }
            if let channel = query.channel { clauses.append("channel = ?"); arguments += [channel] }
            let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            arguments += [query.limit]
            return try Row.fetchAll(
                db, sql: "SELECT * FROM notification \(filter) ORDER BY created_at DESC, id DESC LIMIT ?", arguments: arguments
            ).map(Self.notification)
        }
    }

    public func notificationAttempts(id: Int64) async throws -> [NotificationAttempt] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT number, at, error FROM notification_attempt WHERE notification_id = ? ORDER BY number",
                arguments: [id]
            ).map {
                NotificationAttempt(notificationId: id, number: $0["number"], at: Date(timeIntervalSince1970: $0["at"]), error: $0["error"])
            }
        }
    }

    public func deleteNotifications(before date: Date) async throws -> Int {
        try write { db in
            try db.execute(
                sql: "DELETE FROM notification WHERE status IN ('sent', 'failed') AND created_at < ?",
                arguments: [date.timeIntervalSince1970])
            return db.changesCount
        }
    }

    static func notification(_ row: Row) throws -> NotificationRecord {
        let draft = NotificationDraft(
            key: row["key"], channel: row["channel"], event: row["event"], dagId: row["dag_id"], runId: row["run_id"],
            title: row["title"], lines: try decode([String].self, row["lines"]), items: try decode([NotificationItem].self, row["items"]),
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
        return NotificationRecord(
            id: row["id"], draft: draft, status: NotificationStatus(rawValue: row["status"]) ?? .pending, attempts: row["attempts"],
            nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]),
            sentAt: (row["sent_at"] as Double?).map(Date.init(timeIntervalSince1970:)), lastError: row["last_error"])
    }

    private static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        do { return try JSONDecoder().decode(type, from: Data(text.utf8)) } catch {
            throw StoreError.database("the outbox holds a malformed \(T.self): \(error)")
        }
    }
}
