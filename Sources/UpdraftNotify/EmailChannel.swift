import Foundation
import UpdraftHTTP

/// E-mail over SMTP or SMTPS (libcurl): a plain-text UTF-8 message whose subject is the title
/// and whose body is the lines and links. A 5xx reply (a refused recipient, bad credentials) is
/// final; a 4xx reply or no answer is tried again by the outbox.
public struct EmailChannel: NotificationChannel {
    public let name: String
    let smtp: SMTPClient
    let from: String
    let recipients: [String]
    /// The host in `Message-ID`s.
    let domain: String

    public init(name: String = "email", smtp: SMTPClient, from: String, to recipients: [String]) {
        self.name = name; self.smtp = smtp; self.from = from; self.recipients = recipients
        domain = from.split(separator: "@").last.map(String.init) ?? "updraft.local"
    }

    public func send(_ notification: Notification) async throws(ChannelError) {
        do { try await smtp.send(from: from, to: recipients, message: message(notification)) } catch {
            throw ChannelError(channel: name, status: 0, reason: "\(error)", isPermanent: !error.isTransient)
        }
    }

    /// The RFC 5322 message: headers (the subject in RFC 2047 words when not ASCII), a blank
    /// line, the body with CRLF line ends.
    func message(_ notification: Notification) -> [UInt8] {
        let date = Self.dateFormatter.string(from: notification.timestamp)
        var body = notification.lines
        if !notification.links.isEmpty { body.append("") }
        for link in notification.links { body.append(link.url.map { "\(link.label): \($0)" } ?? link.label) }
        let headers = [
            "From: \(from)", "To: \(recipients.joined(separator: ", "))", "Subject: \(Self.encodedWord(notification.title))",
            "Date: \(date)", "Message-ID: <\(UUID().uuidString.lowercased())@\(domain)>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit",
            "X-Updraft-Event: \(notification.event)",
        ]
        let text = headers.joined(separator: "\r\n") + "\r\n\r\n" + body.map(Self.oneLine).joined(separator: "\r\n") + "\r\n"
        return Array(text.utf8)
    }

    /// A header value on one line (no header injection), as an RFC 2047 word when not ASCII.
    static func encodedWord(_ text: String) -> String {
        let line = oneLine(text)
        guard !line.allSatisfy(\.isASCII) else { return line }
        return "=?UTF-8?B?" + Data(line.utf8).base64EncodedString() + "?="
    }

    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    static let dateFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter
    }()
}
