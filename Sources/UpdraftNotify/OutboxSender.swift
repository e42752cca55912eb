import Foundation
import UpdraftRuntime
import UpdraftStore

/// Sends the outbox's due messages through the configured channels: claims a batch (a claim
/// lasts `lease`, so a process that dies leaves its messages to the next), keeps each channel
/// under its rate limit (counted over every process's attempts in the last minute), records
/// every attempt, and retries failures with exponential backoff (or the service's `Retry-After`)
/// until `maxAttempts`; a refusal that cannot change (a bad token, a 5xx SMTP reply) fails at once.
///
/// ```swift
/// let sender = OutboxSender(store: engine.store, channels: try NotifyConfig.channels(configuration))
/// try await sender.deliverDue(now: Date())
/// ```
public struct OutboxSender: NotificationDelivery {
    public let store: any NotificationOutbox
    public let channels: [String: any NotificationChannel]
    public var policy: DeliveryPolicy
    /// Who holds the claims (host and process).
    public let owner: String

    /// Limits and waits of delivery (`notifications.*` keys).
    public struct DeliveryPolicy: Sendable, Hashable {
        public var maxAttempts: Int
        /// The wait after the first failed attempt; it doubles after each one, up to `maxDelay`.
        public var firstDelay: TimeInterval
        public var maxDelay: TimeInterval
        /// Messages per channel per minute.
        public var perMinute: Int
        /// Messages claimed at once.
        public var batch: Int
        public var lease: TimeInterval
        /// The web UI's address for links (empty: none).
        public var uiURL: String

        public init(
            maxAttempts: Int = 8, firstDelay: TimeInterval = 30, maxDelay: TimeInterval = 3600, perMinute: Int = 20,
            batch: Int = 20, lease: TimeInterval = 300, uiURL: String = ""
        ) {
            self.maxAttempts = maxAttempts; self.firstDelay = firstDelay; self.maxDelay = maxDelay; self.perMinute = perMinute
            self.batch = batch; self.lease = lease; self.uiURL = uiURL
        }
    }

    public init(
        store: any NotificationOutbox, channels: [String: any NotificationChannel], policy: DeliveryPolicy = DeliveryPolicy(),
        owner: String = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    ) {
        self.store = store; self.channels = channels; self.policy = policy; self.owner = owner
    }

    public func deliverDue(now: Date) async throws {
        // A channel whose service asked to wait gets nothing more in this pass: its other
        // messages wait as long, and the other channels' go on.
        var waits: [String: Date] = [:]
        // Each channel's attempts of the last minute: read once per pass, counted on as it sends.
        var recent: [String: Int] = [:]
        while true {
            let claimed = try await store.claimNotifications(owner: owner, now: now, limit: policy.batch, lease: policy.lease)
            for record in claimed {
                if let until = waits[record.draft.channel] {
                    try await store.postponeNotification(id: record.id, owner: owner, until: until)
                } else if let until = try await deliver(record, now: now, recent: &recent) {
                    waits[record.draft.channel] = until
                }
            }
            if claimed.count < policy.batch { return }
        }
    }

    /// One attempt on a claimed message, or its postponement when its channel is at its limit;
    /// returns until when the channel's service asked to be left alone, if it did.
    func deliver(_ record: NotificationRecord, now: Date, recent: inout [String: Int]) async throws -> Date? {
        let name = record.draft.channel
        guard let channel = channels[name] else {
            let known = channels.keys.sorted().joined(separator: ", ")
            try await store.recordNotificationAttempt(
                id: record.id, owner: owner, at: now,
                outcome: .failed(error: "no channel '\(name)' is configured (configured: \(known.isEmpty ? "none" : known))"))
            return nil
        }
        if recent[name] == nil {
            recent[name] = try await store.notificationAttemptCount(channel: name, since: now.addingTimeInterval(-60))
        }
        if recent[name, default: 0] >= policy.perMinute {
            try await store.postponeNotification(id: record.id, owner: owner, until: now.addingTimeInterval(60 / Double(policy.perMinute)))
            return nil
        }
        recent[name, default: 0] += 1
        let outcome: NotificationAttemptOutcome
        var wait: Date?
        do {
            try await channel.send(NotificationText.notification(record, uiURL: policy.uiURL))
            outcome = .sent
        } catch {
            let attempts = record.attempts + 1
            if error.isPermanent || attempts >= policy.maxAttempts {
                outcome = .failed(error: error.description)
            } else {
                let backoff = min(policy.maxDelay, policy.firstDelay * pow(2, Double(attempts - 1)))
                outcome = .retry(error: error.description, at: now.addingTimeInterval(max(backoff, error.retryAfter ?? 0)))
            }
            wait = error.retryAfter.map { now.addingTimeInterval($0) }
        }
        try await store.recordNotificationAttempt(id: record.id, owner: owner, at: now, outcome: outcome)
        return wait
    }
}
