import Foundation
import UpdraftHTTP

/// A Telegram bot's `sendMessage` (`https://api.telegram.org/bot<token>/sendMessage`; the token
/// is a secret): `chat_id`, `text` of at most 4,096 characters, link previews off. Telegram
/// answers `{"ok": true, "result": …}`, or `{"ok": false, "error_code", "description"}` with
/// `parameters.retry_after` on a 429.
public struct TelegramChannel: NotificationChannel {
    public let name: String
    let apiBase: String
    let token: String
    let chatId: String
    let post: JSONPost

    /// Telegram's limit on `text`.
    static let textLimit = 4_096

    public init(
        name: String = "telegram", botToken: String, chatId: String, apiBase: String = "https://api.telegram.org",
        http: HTTPClient = HTTPClient()
    ) {
        self.name = name; self.token = botToken; self.chatId = chatId; self.post = JSONPost(http: http)
        self.apiBase = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
    }

    struct Payload: Encodable {
        var chat_id: String
        var text: String
        var disable_web_page_preview: Bool
    }

    struct Refusal: Decodable {
        struct Parameters: Decodable { var retry_after: Double? }

        var ok: Bool
        var error_code: Int?
        var description: String?
        var parameters: Parameters?
    }

    public func send(_ notification: Notification) async throws(ChannelError) {
        let payload = Payload(chat_id: chatId, text: notification.plainText(limit: Self.textLimit), disable_web_page_preview: true)
        try await post.send(channel: name, url: apiBase + "/bot" + token + "/sendMessage", bytes: JSONPost.encode(payload)) {
            status, body in
            guard let refusal = try? JSONDecoder().decode(Refusal.self, from: Data(body)) else {
                return (JSONPost.genericRefusal(status, body).reason, nil)
            }
            return (refusal.description ?? "refused", refusal.parameters?.retry_after)
        }
    }
}
