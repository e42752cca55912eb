import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftStore

/// Runs one web UI page: the session (cookie or bearer), its role, its CSRF token, the handler.
struct PageDispatcher: Sendable {
    let context: APIServerContext

    func respond(_ page: WebRoute, _ request: Request, _ requestContext: APIRequestContext) async -> Response {
        let started = ContinuousClock.now
        let response: APIResponse
        do {
            response = try await handle(page, request, requestContext)
        } catch {
            let translated = APIError(translating: error)
            if translated.status == .internalServerError {
                context.logger.error("\(page.method) \(page.path) failed: \(error)")
            }
            response = Self.errorPage(translated)
        }
        context.metrics.page(page, status: Int(response.status.code), duration: ContinuousClock.now - started)
        if request.method == .get, response.status == .ok, let etag = response.headers[.eTag],
            request.headers[.ifNoneMatch] == etag
        {
            return APIResponse(status: .notModified, headers: response.headers, body: ResponseBody()).hummingbird
        }
        return response.hummingbird
    }

    private func handle(_ page: WebRoute, _ request: Request, _ requestContext: APIRequestContext) async throws -> APIResponse {
        if request.uri.path.count > 1, request.uri.path.hasSuffix("/") { throw APIError.notFound("Not Found") }
        var body: [UInt8] = []
        if BrowserSession.isUnsafe(page.method) {
            var buffer = try await request.body.collect(upTo: 1 << 20)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        }
        var identity: APIIdentity?
        var csrf: String?
        if let session = request.cookies[BrowserSession.sessionCookie]?.value, !session.isEmpty,
            let caller = try await context.tokens.verify(session, store: context.store, now: context.now)
        {
            identity = caller
            csrf = BrowserSession.csrfToken(for: session, key: context.tokens.key)
            // Public forms (the sign-in) take no token: a second sign-in must not need the first's.
            if BrowserSession.isUnsafe(page.method), page.role != nil {
                let sent =
                    request.headers[BrowserSession.csrfHeader]
                    ?? FormDecoding.pairs(String(decoding: body, as: UTF8.self)).last { $0.0 == "csrf_token" }?.1
                guard sent == csrf else { throw APIError.forbidden("CSRF token missing or wrong: reload the page and try again") }
            }
        } else if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            identity = try await context.tokens.verify(token, store: context.store, now: context.now)
        }
        if let role = page.role {
            guard let caller = identity else {
                if page.method == .get, request.headers[.accept]?.contains("text/event-stream") != true {
                    return .redirect("/login?next=" + Self.percentEncoded(request.uri.description))
                }
                throw APIError.unauthorized("Sign in first")
            }
            guard caller.role >= role else {
                throw APIError.forbidden("Forbidden: the role '\(caller.role.rawValue)' may not open this page")
            }
        }
        var pathValues: [String: String] = [:]
        for name in page.pathParameters {
            let raw = requestContext.parameters.get(name) ?? ""
            pathValues[name] = raw.removingPercentEncoding ?? raw
        }
        var query: [String: [String]] = [:]
        for (name, value) in FormDecoding.pairs(request.uri.query ?? "") { query[name, default: []].append(value) }
        var address = "unknown"
        if let remote = requestContext.remoteAddress { address = remote.ipAddress ?? "unknown" }
        return try await page.handler(
            WebRequest(
                pathValues: pathValues, query: query, identity: identity, csrfToken: csrf, body: body, headers: request.headers,
                uri: request.uri.description, clientAddress: address, context: context))
    }

    /// A small HTML page for an error no page handled itself.
    static func errorPage(_ error: APIError) -> APIResponse {
        var text = "\(error.status.code) \(error.status.reasonPhrase): \(error.description)"
        text = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        let html =
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Updraft</title><p>\(text)</p><p><a href=\"/\">Updraft</a></p></html>"
        var response = APIResponse.html(error.status, Array(html.utf8))
        for field in error.headers { response.headers.append(field) }
        return response
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
    }
}
