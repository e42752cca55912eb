import Foundation

/// A message for one channel, written to the outbox by the run's commit (or the scheduler's
/// checks) and sent later by a delivering process, so that a slow or failing channel never
/// blocks nor fails a run. The text is made at delivery from these facts.
///
/// ```swift
/// batch.notifications.append(NotificationDraft(
///     key: "on-failure:etl:r1", channel: "slack", event: "task_failed", dagId: "etl", runId: "r1",
///     title: "etl: load failed", items: [NotificationItem(taskId: "load", tryNumber: 2, lines: ["KeyError: …"])],
///     createdAt: now, sendAfter: now.addingTimeInterval(30)))
/// ```
public struct NotificationDraft: Sendable, Hashable {
    /// Dedupe: the outbox keeps one message per key and channel, ever. A draft whose key is
    /// already waiting (never attempted) adds its items to it (grouping); otherwise it is dropped.
    public var key: String
    public var channel: String
    /// A short machine name: `task_failed`, `task_retry`, `run_recovered`, `sla_missed`…
    public var event: String
    public var dagId: String?
    public var runId: String?
    public var title: String
    public var lines: [String]
    /// The tasks the message is about, with their error's last lines.
    public var items: [NotificationItem]
    public var createdAt: Date
    /// Not sent before this time (the grouping window); the run's end sends it at once.
    public var sendAfter: Date

    public init(
        key: String, channel: String, event: String, dagId: String? = nil, runId: String? = nil, title: String,
        lines: [String] = [], items: [NotificationItem] = [], createdAt: Date, sendAfter: Date? = nil
    ) {
        self.key = key; self.channel = channel; self.event = event; self.dagId = dagId; self.runId = runId
        self.title = title; self.lines = lines; self.items = items; self.createdAt = createdAt
        self.sendAfter = sendAfter ?? createdAt
    }
}

/// One task a notification is about.
public struct NotificationItem: Sendable, Hashable, Codable {
    public var taskId: String
    public var tryNumber: Int
    /// The error's last lines.
    public var lines: [String]

    public init(taskId: String, tryNumber: Int, lines: [String] = []) {
        self.taskId = taskId; self.tryNumber = tryNumber; self.lines = lines
    }

    /// `items` with `item` added, replacing an earlier entry of the same task (a later try).
    public static func merged(_ items: [NotificationItem], with added: [NotificationItem]) -> [NotificationItem] {
        var result = items
        for item in added {
            if let index = result.firstIndex(where: { $0.taskId == item.taskId }) { result[index] = item } else { result.append(item) }
        }
        return result
    }
}

/// Where a message stands in the outbox.
public enum NotificationStatus: String, Sendable, Hashable, CaseIterable {
    /// Waiting for its time (grouping window, backoff) or a delivering process.
    case pending
    case sent
    /// Given up after the last attempt allowed.
    case failed
}

/// A message in the outbox with its delivery state.
public struct NotificationRecord: Sendable, Hashable {
    public var id: Int64
    public var draft: NotificationDraft
    public var status: NotificationStatus
    /// Attempts made so far.
    public var attempts: Int
    /// When a delivering process may take it next.
    public var nextAttemptAt: Date
    public var sentAt: Date?
    /// The last failed attempt's error (never a URL or token: channels' errors leave them out).
    public var lastError: String?

    public init(
        id: Int64, draft: NotificationDraft, status: NotificationStatus, attempts: Int, nextAttemptAt: Date,
        sentAt: Date? = nil, lastError: String? = nil
    ) {
        self.id = id; self.draft = draft; self.status = status; self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt; self.sentAt = sentAt; self.lastError = lastError
    }
}

/// One delivery attempt of an outbox message.
public struct NotificationAttempt: Sendable, Hashable {
    public var notificationId: Int64
    /// 1 for the first attempt.
    public var number: Int
    public var at: Date
    /// Nil when the channel accepted the message.
    public var error: String?

    public init(notificationId: Int64, number: Int, at: Date, error: String?) {
        self.notificationId = notificationId; self.number = number; self.at = at; self.error = error
    }
}

/// How a delivery attempt ended, for `recordNotificationAttempt`.
public enum NotificationAttemptOutcome: Sendable, Hashable {
    case sent
    /// Failed; tried again at the date.
    case retry(error: String, at: Date)
    /// Failed for good.
    case failed(error: String)
}

/// Filters of `notifications(_:)`, newest first.
public struct NotificationQuery: Sendable, Hashable {
    public var status: NotificationStatus?
    public var dagId: String?
    public var channel: String?
    public var limit: Int

    public init(status: NotificationStatus? = nil, dagId: String? = nil, channel: String? = nil, limit: Int = 100) {
        self.status = status; self.dagId = dagId; self.channel = channel; self.limit = limit
    }
}

/// The outbox of notifications (`notification` and `notification_attempt` tables). Messages are
/// claimed by one delivering process at a time for `lease` seconds (a process that dies leaves
/// them to the next after that).
public protocol NotificationOutbox: Sendable {
    /// Adds messages outside a run's commit (the scheduler's deadline and staleness checks), with
    /// the dedupe and grouping of `StateBatch.notifications`.
    func enqueueNotifications(_ drafts: [NotificationDraft]) async throws
    /// Takes up to `limit` pending messages due at `now` that no live claim holds, oldest first,
    /// for `owner` until `now + lease`.
    func claimNotifications(owner: String, now: Date, limit: Int, lease: TimeInterval) async throws -> [NotificationRecord]
    /// Records an attempt on a message `owner` claimed and releases the claim; false (nothing
    /// written) when the claim was lost to another process.
    @discardableResult func recordNotificationAttempt(
        id: Int64, owner: String, at: Date, outcome: NotificationAttemptOutcome
    ) async throws -> Bool
    /// Gives a claimed message back without an attempt, not to be taken before `until` (a rate limit).
    func postponeNotification(id: Int64, owner: String, until: Date) async throws
    /// How many attempts were made on `channel` since `date` (the rate limit's count, shared by all processes).
    func notificationAttemptCount(channel: String, since date: Date) async throws -> Int
    /// Messages matching the query, newest first.
    func notifications(_ query: NotificationQuery) async throws -> [NotificationRecord]
    /// The attempts of one message, oldest first.
    func notificationAttempts(id: Int64) async throws -> [NotificationAttempt]
    /// Deletes sent and failed messages created before `date` with their attempts; returns how many.
    func deleteNotifications(before date: Date) async throws -> Int
}
