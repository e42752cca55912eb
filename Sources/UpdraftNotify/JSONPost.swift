import Foundation
import UpdraftHTTP

/// One JSON POST of a channel: sent once, the answer read for the service's error, the secret
/// parts of the URL never repeated in an error.
struct JSONPost: Sendable {
    let http: HTTPClient

    /// How a channel reads a refusal: the reason, and a wait the service asked for.
    typealias Refusal = @Sendable (Int, [UInt8]) -> (reason: String, retryAfter: TimeInterval?)

    /// `body` as JSON with sorted keys (the bytes a webhook's signature covers).
    static func encode(_ body: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // A payload of strings, numbers and dates always encodes.
        return Array((try? encoder.encode(body)) ?? Data("{}".utf8))
    }

    func send(
        channel: String, url: String, bytes: [UInt8], headers: HTTPHeaders = [:], refusal: Refusal = JSONPost.genericRefusal
    ) async throws(ChannelError) {
        var headers = headers
        headers["Content-Type"] = "application/json"
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(url: url, headers: headers, timeout: .seconds(20), method: "POST", body: bytes))
        } catch {
            // The transport's message holds the URL, which for these services is the secret.
            throw ChannelError(channel: channel, status: 0, reason: "no answer (\(error.kind))")
        }
        guard (200..<300).contains(response.status) else {
            var (reason, retryAfter) = refusal(response.status, response.body)
            if retryAfter == nil, let header = response.headers["Retry-After"], let seconds = TimeInterval(header) { retryAfter = seconds }
            if reason.isEmpty { reason = "refused" }
            // A 4xx other than a timeout or a rate limit says the request itself is wrong.
            let permanent = (400..<500).contains(response.status) && ![408, 429].contains(response.status)
            throw ChannelError(channel: channel, status: response.status, reason: reason, retryAfter: retryAfter, isPermanent: permanent)
        }
    }

    /// The first 300 characters of the answer's text.
    static let genericRefusal: Refusal = { _, body in (String(String(decoding: body, as: UTF8.self).prefix(300)), nil) }
}
