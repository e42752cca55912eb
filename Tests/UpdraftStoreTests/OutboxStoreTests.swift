import Foundation
import Testing
import UpdraftCore

@testable import UpdraftStore

/// The notification outbox on both stores: one message per key and channel, grouping while it
/// waits, claims that exclude other processes until they expire, attempts, release at a run's
/// end, pruning.
@Suite struct OutboxStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_765_000_000)

    static func draft(
        _ key: String, channel: String = "slack", task: String = "a", at offset: TimeInterval = 0, wait: TimeInterval = 30
    )
        -> NotificationDraft
    {
        NotificationDraft(
            key: key, channel: channel, event: "task_failed", dagId: "etl", runId: "r1", title: "etl: \(task) failed",
            items: [NotificationItem(taskId: task, tryNumber: 1, lines: ["boom \(task)"])], createdAt: t0.addingTimeInterval(offset),
            sendAfter: t0.addingTimeInterval(offset + wait))
    }

    @Test(arguments: StoreKind.allCases)
    func aWaitingMessageGroupsLaterTasksAndAKeyIsSentOnlyOnce(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        var batch = StateBatch()
        batch.notifications = [Self.draft("fail:etl:r1", task: "a"), Self.draft("fail:etl:r1", channel: "email", task: "a")]
        try await store.commit(batch)
        try await store.enqueueNotifications([Self.draft("fail:etl:r1", task: "b", at: 5), Self.draft("fail:etl:r1", task: "a", at: 6)])
        let waiting = try await store.notifications(NotificationQuery(channel: "slack"))
        #expect(waiting.count == 1)
        #expect(waiting[0].draft.items.map(\.taskId) == ["a", "b"])
        #expect(waiting[0].nextAttemptAt == Self.t0.addingTimeInterval(30))
        // Nothing is due inside the grouping window.
        #expect(try await store.claimNotifications(owner: "p1", now: Self.t0.addingTimeInterval(10), limit: 10, lease: 60).isEmpty)
        let claimed = try await store.claimNotifications(owner: "p1", now: Self.t0.addingTimeInterval(31), limit: 10, lease: 60)
        #expect(claimed.count == 2)
        let slack = try #require(claimed.first { $0.draft.channel == "slack" })
        #expect(try await store.recordNotificationAttempt(id: slack.id, owner: "p1", at: Self.t0.addingTimeInterval(31), outcome: .sent))
        // Sent: the same key adds nothing and sends nothing again.
        try await store.enqueueNotifications([Self.draft("fail:etl:r1", task: "c", at: 40)])
        let sent = try #require(try await store.notifications(NotificationQuery(status: .sent)).first)
        #expect(sent.draft.items.map(\.taskId) == ["a", "b"] && sent.attempts == 1 && sent.sentAt == Self.t0.addingTimeInterval(31))
        #expect(try await store.notifications(NotificationQuery()).count == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func aClaimExcludesOthersUntilItExpiresAndOnlyItsOwnerRecords(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await store.enqueueNotifications([Self.draft("k", wait: 0)])
        let mine = try await store.claimNotifications(owner: "p1", now: Self.t0, limit: 10, lease: 60)
        #expect(mine.count == 1)
        #expect(try await store.claimNotifications(owner: "p2", now: Self.t0.addingTimeInterval(59), limit: 10, lease: 60).isEmpty)
        // p1 died: after the lease p2 takes it, and p1's late answer is refused.
        let theirs = try await store.claimNotifications(owner: "p2", now: Self.t0.addingTimeInterval(61), limit: 10, lease: 60)
        #expect(theirs.map(\.id) == mine.map(\.id))
        #expect(
            !(try await store.recordNotificationAttempt(id: mine[0].id, owner: "p1", at: Self.t0.addingTimeInterval(62), outcome: .sent)))
        let retryAt = Self.t0.addingTimeInterval(120)
        #expect(
            try await store.recordNotificationAttempt(
                id: mine[0].id, owner: "p2", at: Self.t0.addingTimeInterval(62), outcome: .retry(error: "HTTP 500", at: retryAt)))
        let record = try #require(try await store.notifications(NotificationQuery()).first)
        #expect(record.status == .pending && record.attempts == 1 && record.lastError == "HTTP 500" && record.nextAttemptAt == retryAt)
        #expect(try await store.notificationAttemptCount(channel: "slack", since: Self.t0) == 1)
        #expect(try await store.notificationAttemptCount(channel: "email", since: Self.t0) == 0)
        // A retried message no longer groups: it was attempted with what it had.
        try await store.enqueueNotifications([Self.draft("k", task: "z")])
        #expect(try await store.notifications(NotificationQuery()).first?.draft.items.map(\.taskId) == ["a"])
        let again = try await store.claimNotifications(owner: "p2", now: retryAt, limit: 10, lease: 60)
        try await store.recordNotificationAttempt(
            id: again[0].id, owner: "p2", at: retryAt, outcome: .failed(error: "HTTP 404: no_service"))
        let attempts = try await store.notificationAttempts(id: again[0].id)
        #expect(attempts.map(\.number) == [1, 2] && attempts.map(\.error) == ["HTTP 500", "HTTP 404: no_service"])
        #expect(try await store.notifications(NotificationQuery(status: .failed)).count == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func aRunsEndMakesItsWaitingMessagesDueAndCleanPrunesFinishedOnes(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await store.enqueueNotifications([Self.draft("k1"), Self.draft("k2", channel: "email")])
        var other = Self.draft("k3")
        other.runId = "r2"
        try await store.enqueueNotifications([other])
        var batch = StateBatch()
        batch.releasedNotifications = [RunKey("etl", "r1")]
        try await store.commit(batch)
        let due = try await store.claimNotifications(owner: "p", now: Self.t0.addingTimeInterval(1), limit: 10, lease: 60)
        #expect(Set(due.map(\.draft.key)) == ["k1", "k2"])
        for record in due { try await store.recordNotificationAttempt(id: record.id, owner: "p", at: Self.t0, outcome: .sent) }
        // Postponed (a rate limit): not due before its time, and no attempt counted.
        let third = try await store.claimNotifications(owner: "p", now: Self.t0.addingTimeInterval(30), limit: 10, lease: 60)
        try await store.postponeNotification(id: third[0].id, owner: "p", until: Self.t0.addingTimeInterval(90))
        #expect(try await store.claimNotifications(owner: "p", now: Self.t0.addingTimeInterval(60), limit: 10, lease: 60).isEmpty)
        #expect(try await store.notificationAttempts(id: third[0].id).isEmpty)
        // Clean deletes sent and failed messages only, with their attempts.
        #expect(try await store.deleteNotifications(before: Self.t0.addingTimeInterval(1)) == 2)
        #expect(try await store.notifications(NotificationQuery()).map(\.draft.key) == ["k3"])
        #expect(try await store.notificationAttempts(id: due[0].id).isEmpty)
    }
}
