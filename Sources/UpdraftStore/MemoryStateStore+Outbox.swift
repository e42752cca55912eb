import Foundation
import UpdraftCore

extension MemoryStateStore {
    /// The outbox in memory: messages by id, their claims and attempts.
    struct Outbox {
        var records: [Int64: NotificationRecord] = [:]
        var claims: [Int64: (owner: String, until: Date)] = [:]
        var attempts: [Int64: [NotificationAttempt]] = [:]
        var nextId: Int64 = 1

        mutating func enqueue(_ draft: NotificationDraft) {
            guard let existing = records.values.first(where: { $0.draft.key == draft.key && $0.draft.channel == draft.channel }) else {
                records[nextId] = NotificationRecord(
                    id: nextId, draft: draft, status: .pending, attempts: 0, nextAttemptAt: draft.sendAfter)
                nextId += 1
                return
            }
            guard existing.status == .pending, existing.attempts == 0, !draft.items.isEmpty else { return }
            records[existing.id]?.draft.items = NotificationItem.merged(existing.draft.items, with: draft.items)
        }

        mutating func release(_ runs: [RunKey]) {
            for (id, record) in records where record.status == .pending && record.attempts == 0 {
                guard let dagId = record.draft.dagId, let runId = record.draft.runId, runs.contains(RunKey(dagId, runId)) else { continue }
                records[id]?.nextAttemptAt = min(record.nextAttemptAt, record.draft.createdAt)
            }
        }
    }

    public func enqueueNotifications(_ drafts: [NotificationDraft]) async throws {
        contents.withLock { c in for draft in drafts { c.outbox.enqueue(draft) } }
    }

    public func claimNotifications(owner: String, now: Date, limit: Int, lease: TimeInterval) async throws -> [NotificationRecord] {
        contents.withLock { c in
            let due = c.outbox.records.values
                .filter { $0.status == .pending && $0.nextAttemptAt <= now && (c.outbox.claims[$0.id].map { $0.until < now } ?? true) }
                .sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
                .prefix(limit)
            for record in due { c.outbox.claims[record.id] = (owner, now.addingTimeInterval(lease)) }
            return Array(due)
        }
    }

    public func recordNotificationAttempt(id: Int64, owner: String, at: Date, outcome: NotificationAttemptOutcome) async throws -> Bool {
        contents.withLock { c in
            guard var record = c.outbox.records[id], c.outbox.claims[id]?.owner == owner else { return false }
            c.outbox.claims[id] = nil
            record.attempts += 1
            let error: String?
            switch outcome {
            case .sent: record.status = .sent; record.sentAt = at; error = nil
            case .retry(let message, let next): record.lastError = message; record.nextAttemptAt = next; error = message
            case .failed(let message): record.status = .failed; record.lastError = message; error = message
            }
            c.outbox.records[id] = record
            c.outbox.attempts[id, default: []].append(
                NotificationAttempt(notificationId: id, number: record.attempts, at: at, error: error))
            return true
        }
    }

    public func postponeNotification(id: Int64, owner: String, until: Date) async throws {
        contents.withLock { c in
            guard c.outbox.claims[id]?.owner == owner else { return }
            c.outbox.claims[id] = nil
            c.outbox.records[id]?.nextAttemptAt = until
        }
    }

    public func notificationAttemptCount(channel: String, since date: Date) async throws -> Int {
        contents.withLock { c in
            c.outbox.attempts.reduce(0) { count, entry in
                guard c.outbox.records[entry.key]?.draft.channel == channel else { return count }
                return count + entry.value.filter { $0.at >= date }.count
            }
        }
    }

    public func notifications(_ query: NotificationQuery) async throws -> [NotificationRecord] {
        contents.withLock { c in
            Array(
                c.outbox.records.values
                    .filter { record in
                        (query.status.map { record.status == $0 } ?? true) && (query.dagId.map { record.draft.dagId == $0 } ?? true)
                            && (query.channel.map { record.draft.channel == $0 } ?? true)
                    }
                    .sorted { ($0.draft.createdAt, $0.id) > ($1.draft.createdAt, $1.id) }
                    .prefix(query.limit))
        }
    }

    public func notificationAttempts(id: Int64) async throws -> [NotificationAttempt] {
        contents.withLock { $0.outbox.attempts[id] ?? [] }
    }

    public func deleteNotifications(before date: Date) async throws -> Int {
        contents.withLock { c in
            let doomed = c.outbox.records.values.filter { $0.status != .pending && $0.draft.createdAt < date }.map(\.id)
            for id in doomed { c.outbox.records[id] = nil; c.outbox.attempts[id] = nil; c.outbox.claims[id] = nil }
            return doomed.count
        }
    }
}
