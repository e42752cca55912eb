import CCurl
import Foundation

/// Sends e-mail over SMTP with libcurl: `smtps://` (TLS from the first byte) or `smtp://` with
/// STARTTLS, required by default. The password is never part of an error.
///
/// ```swift
/// let smtp = SMTPClient(url: "smtps://smtp.example.com:465", username: "alerts", password: secret)
/// try await smtp.send(from: "updraft@example.com", to: ["ops@example.com"], message: mail)
/// ```
public struct SMTPClient: Sendable {
    /// How the connection is protected.
    public enum Security: String, Sendable, CaseIterable {
        /// `smtps://`, or STARTTLS that the server must offer.
        case tls
        /// STARTTLS when the server offers it, plain text otherwise.
        case starttlsIfOffered = "starttls_if_offered"
        /// Plain text (a relay on loopback).
        case none
    }

    public var url: String
    public var username: String?
    public var password: String?
    public var security: Security
    public var timeout: Duration

    public init(url: String, username: String? = nil, password: String? = nil, security: Security = .tls, timeout: Duration = .seconds(30))
    {
        self.url = url; self.username = username; self.password = password; self.security = security; self.timeout = timeout
    }

    /// Sends `message` (RFC 5322 text, CRLF line ends; libcurl escapes leading dots) from `from`
    /// to every recipient, in one SMTP transaction.
    public func send(from: String, to recipients: [String], message: [UInt8]) async throws(SMTPError) {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<SMTPError?, Never>) in
            Thread.detachNewThread { continuation.resume(returning: perform(from: from, to: recipients, message: message)) }
        }
        if let result { throw result }
    }

    private func perform(from: String, to recipients: [String], message: [UInt8]) -> SMTPError? {
        let curl: updraft_curl_api
        switch CurlLibrary.shared {
        case .success(let api): curl = api
        case .failure(let unavailable):
            return SMTPError(code: Int(CURLE_FAILED_INIT.rawValue), reply: 0, message: unavailable.description)
        }
        guard let h = updraft_curl_easy_init(curl) else {
            return SMTPError(code: Int(CURLE_OUT_OF_MEMORY.rawValue), reply: 0, message: "curl_easy_init failed")
        }
        let reader = MessageReader(message)
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var list: UnsafeMutablePointer<curl_slist>?
        defer {
            updraft_curl_slist_free_all(curl, list)
            errorBuffer.deallocate()
            updraft_curl_easy_cleanup(curl, h)
        }
        for recipient in recipients { list = updraft_curl_slist_append(curl, list, "<\(recipient)>") }
        _ = updraft_curl_setopt_string(curl, h, CURLOPT_URL, url)
        _ = updraft_curl_setopt_string(curl, h, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        _ = updraft_curl_setopt_string(curl, h, CURLOPT_MAIL_FROM, "<\(from)>")
        _ = updraft_curl_setopt_slist(curl, h, CURLOPT_MAIL_RCPT, list)
        if let username { _ = updraft_curl_setopt_string(curl, h, CURLOPT_USERNAME, username) }
        if let password { _ = updraft_curl_setopt_string(curl, h, CURLOPT_PASSWORD, password) }
        let ssl: curl_usessl =
            switch security {
            case .tls: CURLUSESSL_ALL
            case .starttlsIfOffered: CURLUSESSL_TRY
            case .none: CURLUSESSL_NONE
            }
        _ = updraft_curl_setopt_long(curl, h, CURLOPT_USE_SSL, Int(ssl.rawValue))
        _ = updraft_curl_setopt_long(curl, h, CURLOPT_UPLOAD, 1)
        _ = updraft_curl_setopt_off_t(curl, h, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.count))
        _ = updraft_curl_setopt_long(curl, h, CURLOPT_NOSIGNAL, 1)
        _ = updraft_curl_setopt_long(curl, h, CURLOPT_TIMEOUT_MS, max(1, Int(timeout.timeInterval * 1000)))
        _ = updraft_curl_setopt_long(curl, h, CURLOPT_CONNECTTIMEOUT_MS, 10_000)
        _ = updraft_curl_setopt_pointer(curl, h, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = updraft_curl_setopt_read_function(curl, h) { pointer, size, count, userdata in
            guard let pointer, let userdata else { return 0 }
            return Unmanaged<MessageReader>.fromOpaque(userdata).takeUnretainedValue().read(into: pointer, capacity: size * count)
        }
        _ = updraft_curl_setopt_pointer(curl, h, CURLOPT_READDATA, Unmanaged.passUnretained(reader).toOpaque())
        let code = withExtendedLifetime(reader) { updraft_curl_easy_perform(curl, h) }
        guard code != CURLE_OK else { return nil }
        var reply = 0
        _ = updraft_curl_getinfo_long(curl, h, CURLINFO_RESPONSE_CODE, &reply)
        var text = String(cString: errorBuffer)
        if text.isEmpty { text = String(cString: updraft_curl_easy_strerror(curl, code)) }
        if let password, !password.isEmpty { text = text.replacingOccurrences(of: password, with: "***") }
        return SMTPError(code: Int(code.rawValue), reply: reply, message: text)
    }

    /// Hands the message to libcurl in the pieces it asks for (on the transfer's thread only).
    private final class MessageReader: @unchecked Sendable {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        func read(into pointer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
            let count = min(capacity, bytes.count - offset)
            guard count > 0 else { return 0 }
            bytes.withUnsafeBufferPointer { buffer in
                UnsafeMutableRawPointer(pointer).copyMemory(from: buffer.baseAddress! + offset, byteCount: count)
            }
            offset += count
            return count
        }
    }
}

/// Why an e-mail was not sent: libcurl's code, the server's last reply code (0 without one)
/// and the message.
public struct SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var reply: Int
    public var message: String

    public init(code: Int, reply: Int, message: String) { self.code = code; self.reply = reply; self.message = message }

    public var description: String { reply == 0 ? message : "SMTP \(reply): \(message)" }

    /// A 4xx reply or no reply at all: worth trying again later; a 5xx is final.
    public var isTransient: Bool { !(500..<600).contains(reply) }
}
