import Crypto
import Foundation
import UpdraftHTTP

/// A generic webhook: the notification as a JSON object, and with a signing secret the header
/// `X-Updraft-Signature: sha256=<hex HMAC-SHA256 of the body>` (GitHub's scheme), so the receiver
/// can check it came from us.
///
/// ```json
/// {"dag_id":"etl","event":"task_failed","lines":["…"],"links":[{"label":"updraft runs show etl r1"}],
///  "run_id":"r1","task_id":"load","text":"etl.load failed\n…","timestamp":"2026-12-06T10:00:00Z",
///  "title":"etl.load failed","try_number":2}
/// ```
public struct WebhookChannel: NotificationChannel {
    public let name: String
    let url: String
    let secret: String?
    let post: JSONPost

    public init(name: String = "webhook", url: String, signingSecret: String? = nil, http: HTTPClient = HTTPClient()) {
        self.name = name; self.url = url; self.post = JSONPost(http: http)
        self.secret = signingSecret
    }

    struct Payload: Encodable {
        struct Link: Encodable {
            var label: String
            var url: String?
        }

        var event: String
        var title: String
        var text: String
        var lines: [String]
        var dag_id: String?
        var run_id: String?
        var task_id: String?
        var try_number: Int?
        var links: [Link]
        var timestamp: Date
    }

    /// The header that carries the signature.
    public static let signatureHeader = "X-Updraft-Signature"

    /// `sha256=` and the lowercase hex HMAC-SHA256 of `body` under `secret`.
    public static func signature(of body: [UInt8], secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + mac.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    public func send(_ notification: Notification) async throws(ChannelError) {
        let body = JSONPost.encode(
            Payload(
                event: notification.event, title: notification.title, text: notification.plainText(), lines: notification.lines,
                dag_id: notification.dagId, run_id: notification.runId, task_id: notification.taskId,
                try_number: notification.tryNumber, links: notification.links.map { Payload.Link(label: $0.label, url: $0.url) },
                timestamp: notification.timestamp))
        var headers = HTTPHeaders()
        if let secret { headers[Self.signatureHeader] = Self.signature(of: body, secret: secret) }
        try await post.send(channel: name, url: url, bytes: body, headers: headers)
    }
}
