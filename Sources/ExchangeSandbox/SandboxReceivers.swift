import Foundation
import HTTPTypes
import Hummingbird

/// A message one of the sandbox's notification receivers got: which service, the path (secret
/// parts included, as the service would see them), the headers and the body as sent.
public struct SandboxReceivedMessage: Sendable, Hashable {
    public enum Service: String, Sendable, Hashable { case webhook, slack, discord, telegram }

    public var service: Service
    public var path: String
    /// Header values by lower-cased name.
    public var headers: [String: String]
    public var body: [UInt8]

    /// The body as a JSON object (nil when it is not one).
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]  // not JSON: nil, the receiver's 400
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.service == rhs.service && lhs.path == rhs.path && lhs.headers == rhs.headers && lhs.body == rhs.body
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(service); hasher.combine(path); hasher.combine(body)
    }
}

/// Receivers in the formats of the services notifications go to, with their documented limits and
/// error shapes: a generic webhook (200), a Slack incoming webhook (`ok`; 400 `no_text`), a
/// Discord webhook (204; 400 code 50035 past 2,000 characters), a Telegram bot's `sendMessage`
/// (`{"ok":true}`; 400 "message is too long" past 4,096, "chat_id is empty").
extension SandboxServer {
    func receive(_ service: SandboxReceivedMessage.Service, _ request: Request, body: [UInt8]) -> SandboxReply {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let message = SandboxReceivedMessage(service: service, path: request.uri.path, headers: headers, body: body)
        let object = message.json
        switch service {
        case .webhook:
            guard object != nil else { return .json("{\"error\":\"not a JSON object\"}", status: .badRequest) }
        case .slack:
            let text = object?["text"] as? String
            let blocks = object?["blocks"] as? [Any]
            guard text?.isEmpty == false || blocks?.isEmpty == false else {
                return SandboxReply(status: .badRequest, contentType: "text/html", body: Array("no_text".utf8))
            }
        case .discord:
            let content = object?["content"] as? String ?? ""
            if content.count > 2_000 {
                return .json(
                    #"{"message": "Invalid Form Body", "code": 50035, "errors": {"content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]}}}"#,
                    status: .badRequest)
            }
            if content.isEmpty { return .json(#"{"message": "Cannot send an empty message", "code": 50006}"#, status: .badRequest) }
        case .telegram:
            let chat = object?["chat_id"].map { "\($0)" } ?? ""
            let text = object?["text"] as? String ?? ""
            if chat.isEmpty {
                return .json(#"{"ok":false,"error_code":400,"description":"Bad Request: chat_id is empty"}"#, status: .badRequest)
            }
            if text.isEmpty {
                return .json(#"{"ok":false,"error_code":400,"description":"Bad Request: message text is empty"}"#, status: .badRequest)
            }
            if text.count > 4_096 {
                return .json(#"{"ok":false,"error_code":400,"description":"Bad Request: message is too long"}"#, status: .badRequest)
            }
        }
        let count = receivedMessages.withLock { messages in
            messages.append(message)
            return messages.count
        }
        switch service {
        case .webhook: return .json("{\"received\":\(count)}")
        case .slack: return SandboxReply(status: .ok, contentType: "text/html", body: Array("ok".utf8))
        case .discord: return SandboxReply(status: .noContent, contentType: "application/json", body: [])
        case .telegram:
            let date = Int64(now.timeIntervalSince1970)
            return .json("{\"ok\":true,\"result\":{\"message_id\":\(count),\"date\":\(date),\"chat\":{\"id\":0,\"type\":\"private\"}}}")
        }
    }

    /// Every message the receivers accepted, oldest first.
    public var received: [SandboxReceivedMessage] { receivedMessages.withLock { $0 } }
}
