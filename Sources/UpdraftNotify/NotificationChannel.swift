import Foundation

/// A place notifications go (a webhook, Slack, Discord, Telegram…). Sending is one attempt; the
/// caller (the outbox) retries with backoff and records each attempt.
public protocol NotificationChannel: Sendable {
    /// The channel's name in the configuration and in listings (`slack`, `webhook`…).
    var name: String { get }
    /// Delivers `notification` once; throws ``ChannelError`` when the service refused or did not answer.
    func send(_ notification: Notification) async throws(ChannelError)
}

/// Why a delivery failed. The description names the channel and the service's answer, never the
/// webhook URL, the token or the signing secret.
public struct ChannelError: Error, Sendable, Hashable, CustomStringConvertible {
    public var channel: String
    /// The HTTP status, 0 without an answer (and for e-mail, whose SMTP reply is in the reason).
    public var status: Int
    public var reason: String
    /// When the service asked to wait (HTTP 429 `Retry-After`, Telegram's `retry_after`).
    public var retryAfter: TimeInterval?
    /// The service refused the message for good (a bad URL, token or payload): trying again
    /// cannot help, so the outbox gives up at once.
    public var isPermanent: Bool

    public init(channel: String, status: Int, reason: String, retryAfter: TimeInterval? = nil, isPermanent: Bool = false) {
        self.channel = channel; self.status = status; self.reason = reason; self.retryAfter = retryAfter
        self.isPermanent = isPermanent
    }

    public var description: String {
        var text = "channel \(channel): " + (status == 0 ? reason : "HTTP \(status): \(reason)")
        if let retryAfter { text += " (retry after \(Int(retryAfter.rounded(.up))) s)" }
        return text
    }
}
