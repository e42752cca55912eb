import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import UpdraftStore

/// A page (or a page's fragment, event stream or static file) of the web UI, served by the API
/// server beside the API. Pages are not part of the OpenAPI document. A page with a `role` needs a
/// browser session (or a bearer token): without one a `GET` is redirected to `/login?next=…`, any
/// other method is a 401. An unsafe method with the session cookie must carry the session's CSRF
/// token, in the `X-CSRF-Token` header or a `csrf_token` form field.
///
/// ```swift
/// WebRoute(.get, "/dags/{dag_id}/grid", role: .viewer, navigation: nil) { request in
///     .html(.ok, GridPage.render(request))
/// }
/// ```
public struct WebRoute: Sendable {
    public var method: HTTPRequest.Method
    /// OpenAPI-style path, e.g. `/dags/{dag_id}/grid`.
    public var path: String
    /// The least role that may open it; nil for everyone (the login page, static files).
    public var role: UserRole?
    /// The title under which the page appears in the navigation bar, if it does.
    public var navigation: String?
    public var handler: @Sendable (WebRequest) async throws -> APIResponse

    public init(
        _ method: HTTPRequest.Method, _ path: String, role: UserRole?, navigation: String? = nil,
        handler: @escaping @Sendable (WebRequest) async throws -> APIResponse
    ) {
        self.method = method; self.path = path; self.role = role; self.navigation = navigation; self.handler = handler
    }

    /// The names in braces of `path`.
    var pathParameters: [String] {
        path.split(separator: "/").compactMap { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? String(part.dropFirst().dropLast()) : nil
        }
    }
}

/// An entry of the web UI's navigation bar.
public struct NavigationItem: Sendable, Hashable {
    public var title: String
    public var path: String
}

/// What a page handler gets: path values, the raw query, the caller and its CSRF token, the body.
public struct WebRequest: Sendable {
    public let pathValues: [String: String]
    /// Query values by name, in the order sent (`?expand=a&expand=b`).
    public let query: [String: [String]]
    /// The authenticated caller; nil on public pages.
    public let identity: APIIdentity?
    /// The CSRF token of the caller's browser session (nil with a bearer token or none).
    public let csrfToken: String?
    public let body: [UInt8]
    public let headers: HTTPFields
    /// The request's path and query as sent (for `next=` after a login).
    public let uri: String
    public let clientAddress: String
    public let context: APIServerContext

    public func path(_ name: String) -> String {
        precondition(pathValues[name] != nil, "a page reads path parameter '\(name)' it does not declare")
        return pathValues[name]!
    }

    /// The last value of query parameter `name`, if any and not empty.
    public func query(_ name: String) -> String? {
        guard let value = query[name]?.last, !value.isEmpty else { return nil }
        return value
    }

    /// Every value of query parameter `name` (comma-separated values split).
    public func queryList(_ name: String) -> [String] {
        (query[name] ?? []).flatMap { $0.split(separator: ",").map(String.init) }
    }

    /// The body as an `application/x-www-form-urlencoded` form.
    public func form() -> [String: String] {
        var fields: [String: String] = [:]
        for (name, value) in FormDecoding.pairs(String(decoding: body, as: UTF8.self)) { fields[name] = value }
        return fields
    }

    /// Whether the caller's role is at least `role`.
    public func allows(_ role: UserRole) -> Bool { identity.map { $0.role >= role } ?? false }
}

/// `application/x-www-form-urlencoded` and query-string decoding.
public enum FormDecoding {
    /// The `name=value` pairs of `text`, `+` as a space, percent-escapes decoded.
    public static func pairs(_ text: String) -> [(String, String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}

extension APIResponse {
    /// An HTML answer (UTF-8) that browsers must revalidate (`Cache-Control: no-cache`) and may
    /// keep (`ETag`; a matching `If-None-Match` gets a 304 from the server).
    public static func html(_ status: HTTPResponse.Status = .ok, _ bytes: [UInt8]) -> APIResponse {
        var response = APIResponse.bytes(status, bytes, contentType: "text/html; charset=utf-8")
        response.headers[.cacheControl] = "private, no-cache"
        response.headers[.eTag] = etag(bytes)
        return response
    }

    /// A strong validator of `bytes`: `"` + FNV-1a 64 of them in hex + `"`.
    public static func etag(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "\"" + String(hash, radix: 16) + "\""
    }

    /// A `303 See Other` to `location`.
    public static func redirect(_ location: String) -> APIResponse {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return APIResponse(status: .seeOther, headers: headers, body: ResponseBody())
    }
}

extension BrowserSession {
    /// The `Set-Cookie` values of a new browser session for `user`, and its CSRF token.
    public static func start(for user: UserRecord, context: APIServerContext) async throws -> (cookies: [String], csrf: String) {
        let session = try await context.tokens.issue(for: user, now: context.now)
        let csrf = csrfToken(for: session, key: context.tokens.key)
        let cookies = cookies(session: session, csrf: csrf, lifetime: context.tokens.lifetime, secure: context.secure)
        return (cookies.map(\.description), csrf)
    }

    /// The `Set-Cookie` values that end a browser session.
    public static func end(context: APIServerContext) -> [String] {
        expired(secure: context.secure).map(\.description)
    }
}
