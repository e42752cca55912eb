import Foundation
import UpdraftHTTP

/// A Slack incoming webhook (`https://hooks.slack.com/services/…`, a secret): `text` (the
/// fallback Slack shows in notifications) and Block Kit blocks, a header with the title and a
/// section with the body. Slack answers `ok`, or a 400 `invalid_payload`/`no_text`, a 404
/// `no_service`, a 429 with `Retry-After`.
public struct SlackChannel: NotificationChannel {
    public let name: String
    let webhookURL: String
    let post: JSONPost

    /// Slack's limits: a header's text 150 characters, a section's 3,000.
    static let headerLimit = 150, sectionLimit = 3_000

    public init(name: String = "slack", webhookURL: String, http: HTTPClient = HTTPClient()) {
        self.name = name; self.webhookURL = webhookURL; self.post = JSONPost(http: http)
    }

    struct Payload: Encodable {
        struct Text: Encodable {
            var type: String
            var text: String
        }

        struct Block: Encodable {
            var type: String
            var text: Text
        }

        var text: String
        var blocks: [Block]
    }

    public func send(_ notification: Notification) async throws(ChannelError) {
        var body = notification.lines.map(Self.escape).joined(separator: "\n")
        for link in notification.links { body += "\n" + (link.url.map { "<\($0)|\(Self.escape(link.label))>" } ?? "`\(link.label)`") }
        let payload = Payload(
            text: Self.cut(notification.title, Self.sectionLimit),
            blocks: [
                .init(type: "header", text: .init(type: "plain_text", text: Self.cut(notification.title, Self.headerLimit))),
                .init(
                    type: "section",
                    text: .init(type: "mrkdwn", text: Self.cut(body.isEmpty ? notification.title : body, Self.sectionLimit))),
            ])
        try await post.send(channel: name, url: webhookURL, bytes: JSONPost.encode(payload))
    }

    /// Slack's three control characters in mrkdwn.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;")
    }

    static func cut(_ text: String, _ limit: Int) -> String { text.count <= limit ? text : String(text.prefix(limit - 1)) + "…" }
}
