import Foundation
import HTTPTypes
import Logging
import UpdraftAPI
import UpdraftCore
import UpdraftStore

/// A link in a page's trail (`DAGs › etl › run …`); the last has no link.
public struct Crumb: Sendable {
    public var title: String
    public var path: String?
    public init(_ title: String, _ path: String? = nil) { self.title = title; self.path = path }
}

/// The frame every page shares: head (stylesheet, script, CSRF token), navigation bar, user,
/// sign-out form, trail; and the error page.
public enum PageLayout {
    /// A whole page around `body`.
    public static func page(
        _ request: WebRequest, title: String, crumbs: [Crumb] = [], status: HTTPResponse.Status = .ok,
        capacity: Int = 16_384, _ body: (inout HTML) -> Void
    ) -> APIResponse {
        var html = HTML(capacity: capacity)
        html.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        html.raw("<meta name=\"color-scheme\" content=\"light dark\">")
        html.element("title", text: title + " · Updraft")
        html.open("link", ["rel": "stylesheet", "href": StaticAssets.stylePath])
        html.open("link", ["rel": "icon", "href": StaticAssets.iconPath, "type": "image/svg+xml"])
        if let csrf = request.csrfToken { html.open("meta", ["name": "csrf-token", "content": csrf]) }
        html.element("script", ["src": StaticAssets.scriptPath, "defer": ""]) { _ in }
        html.raw("</head><body>")
        header(&html, request)
        html.open("main", ["id": "main"])
        if !crumbs.isEmpty {
            html.element("nav", ["class": "crumbs", "aria-label": "Trail"]) { html in
                for (index, crumb) in crumbs.enumerated() {
                    if index > 0 { html.raw("<span aria-hidden=\"true\"> › </span>") }
                    if let path = crumb.path {
                        html.element("a", ["href": path], text: crumb.title)
                    } else {
                        html.element("span", ["aria-current": "page"], text: crumb.title)
                    }
                }
            }
        }
        body(&html)
        html.raw("</main></body></html>")
        return .html(status, html.bytes)
    }

    /// A piece of a page (a grid's rows, a group's rows) for the script to put in place.
    public static func fragment(capacity: Int = 8192, _ body: (inout HTML) -> Void) -> APIResponse {
        var html = HTML(capacity: capacity)
        body(&html)
        return .html(.ok, html.bytes)
    }

    /// The page for an error, in the frame when a user is signed in.
    public static func error(_ request: WebRequest, _ error: any Error) -> APIResponse {
        let error = APIError(translating: error)
        if error.status == .internalServerError {
            request.context.logger.error("page \(request.uri) failed: \(error)")
        }
        var response = page(request, title: "\(error.status.code)", status: error.status) { html in
            html.element("section", ["class": "error"]) { html in
                html.element("h1", text: "\(error.status.code) \(error.status.reasonPhrase)")
                html.element("p", text: error.message)
            }
        }
        for field in error.headers { response.headers.append(field) }
        return response
    }

    private static func header(_ html: inout HTML, _ request: WebRequest) {
        html.raw("<a class=\"skip\" href=\"#main\">Skip to content</a>")
        html.element("header", ["class": "top"]) { html in
            html.element("a", ["class": "brand", "href": "/dags"]) { html in
                html.raw(
                    "<svg viewBox=\"0 0 16 16\" width=\"18\" height=\"18\" aria-hidden=\"true\"><path d=\"M2 13 L8 3 L14 13 Z\" fill=\"currentColor\"/></svg>"
                )
                html.raw(" Updraft")
            }
            guard let identity = request.identity else { return }
            html.element("nav", ["class": "nav", "aria-label": "Pages"]) { html in
                let path = request.uri.split(separator: "?").first.map(String.init) ?? request.uri
                for item in request.context.navigation {
                    let current = path == item.path || path.hasPrefix(item.path + "/")
                    html.element("a", ["href": item.path, "aria-current": current ? "page" : nil], text: item.title)
                }
            }
            html.element("form", ["class": "user", "method": "post", "action": "/logout"]) { html in
                html.element("span", ["class": "who", "title": "Role: " + identity.role.rawValue]) { html in
                    html.text(identity.username)
                    html.element("small", text: " " + identity.role.rawValue)
                }
                if let csrf = request.csrfToken { html.open("input", ["type": "hidden", "name": "csrf_token", "value": csrf]) }
                html.element("button", ["type": "submit", "class": "link"], text: "Sign out")
            }
        }
    }
}

extension WebRoute {
    /// A page whose errors render as the error page inside the frame.
    public static func page(
        _ method: HTTPRequest.Method = .get, _ path: String, role: UserRole? = .viewer, navigation: String? = nil,
        _ render: @escaping @Sendable (WebRequest) async throws -> APIResponse
    ) -> WebRoute {
        WebRoute(method, path, role: role, navigation: navigation) { request in
            do { return try await render(request) } catch { return PageLayout.error(request, error) }
        }
    }
}

/// Paths of pages, escaped for URLs, in one place.
public enum PagePath {
    /// `text` as one path segment: everything but letters, digits and `-._~` percent-encoded, and
    /// a segment of dots only (`.`, `..`) too, which browsers would otherwise resolve away.
    public static func segment(_ text: String) -> String {
        if !text.isEmpty, text.allSatisfy({ $0 == "." }) { return String(repeating: "%2E", count: text.count) }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    public static func dag(_ dagId: String) -> String { "/dags/" + segment(dagId) }
    public static func grid(_ dagId: String) -> String { dag(dagId) + "/grid" }
    public static func graph(_ dagId: String, run: String? = nil) -> String {
        dag(dagId) + "/graph" + (run.map { "?run_id=" + segment($0) } ?? "")
    }
    public static func run(_ dagId: String, _ runId: String) -> String { dag(dagId) + "/runs/" + segment(runId) }
    public static func task(_ dagId: String, _ runId: String, _ taskId: String, tryNumber: Int? = nil) -> String {
        run(dagId, runId) + "/tasks/" + segment(taskId) + (tryNumber.map { "?try=\($0)" } ?? "")
    }
    public static func asset(_ id: Int64) -> String { "/assets/\(id)" }
}
