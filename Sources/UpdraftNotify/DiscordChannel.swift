import Foundation
import UpdraftHTTP

/// A Discord webhook (`https://discord.com/api/webhooks/{id}/{token}`, a secret): `content` of at
/// most 2,000 characters, the name `Updraft`, and no mentions parsed (an error text holding
/// `@everyone` pings nobody). Discord answers 204; a refusal is `{"message", "code"}`, a 429
/// carries `retry_after` in seconds.
public struct DiscordChannel: NotificationChannel {
    public let name: String
    let webhookURL: String
    let post: JSONPost

    /// Discord's limit on `content`.
    static let contentLimit = 2_000

    public init(name: String = "discord", webhookURL: String, http: HTTPClient = HTTPClient()) {
        self.name = name; self.webhookURL = webhookURL; self.post = JSONPost(http: http)
    }

    struct Payload: Encodable {
        struct Mentions: Encodable { var parse: [String] }

        var content: String
        var username: String
        var allowed_mentions: Mentions
    }

    struct Refusal: Decodable {
        var message: String?
        var code: Int?
        var retry_after: Double?
    }

    public func send(_ notification: Notification) async throws(ChannelError) {
        let payload = Payload(
            content: notification.plainText(limit: Self.contentLimit), username: "Updraft", allowed_mentions: .init(parse: []))
        try await post.send(channel: name, url: webhookURL, bytes: JSONPost.encode(payload)) { status, body in
            guard let refusal = try? JSONDecoder().decode(Refusal.self, from: Data(body)) else {
                return (JSONPost.genericRefusal(status, body).reason, nil)
            }
            return ((refusal.message ?? "refused") + (refusal.code.map { " (code \($0))" } ?? ""), refusal.retry_after)
        }
    }
}
