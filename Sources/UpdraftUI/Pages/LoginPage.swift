import HTTPTypes
import UpdraftAPI
import UpdraftStore

/// `GET /login`, `POST /login` (a form: the same users, roles and throttle as `/auth/token`;
/// sets the browser session's cookies) and `POST /logout`; `/` leads to the DAGs.
enum LoginPage {
    static var routes: [WebRoute] {
        [
            WebRoute(.get, "/", role: nil) { request in .redirect(request.identity == nil ? "/login" : "/dags") },
            WebRoute(.get, "/login", role: nil) { request in
                if request.identity != nil { return .redirect(safeNext(request.query("next"))) }
                return render(request, next: request.query("next"), username: "", error: nil, status: .ok)
            },
            WebRoute(.post, "/login", role: nil) { request in
                // A sign-in posted from another site would sign the browser into someone else's
                // account (login CSRF): browsers say where a request comes from.
                if request.headers[HTTPField.Name("Sec-Fetch-Site")!] == "cross-site" {
                    return render(request, next: nil, username: "", error: "Sign in from this site's own page.", status: .forbidden)
                }
                let form = request.form()
                let next = form["next"]
                do {
                    let user = try await AuthRoutes.verify(
                        username: form["username"], password: form["password"], address: request.clientAddress,
                        context: request.context)
                    let session = try await BrowserSession.start(for: user, context: request.context)
                    var response = APIResponse.redirect(safeNext(next))
                    for cookie in session.cookies { response.headers.append(HTTPField(name: .setCookie, value: cookie)) }
                    return response
                } catch let error as APIError {
                    var response = render(
                        request, next: next, username: form["username"] ?? "", error: error.message, status: error.status)
                    for field in error.headers { response.headers.append(field) }
                    return response
                }
            },
            WebRoute(.post, "/logout", role: .viewer) { request in
                var response = APIResponse.redirect("/login")
                for cookie in BrowserSession.end(context: request.context) {
                    response.headers.append(HTTPField(name: .setCookie, value: cookie))
                }
                return response
            },
        ]
    }

    /// Only a path of this site is followed after signing in: `/…`, not `//host` nor `/\host`, and
    /// nothing a browser would strip or turn into a slash (control characters, backslashes).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"),
            next.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F && $0 != "\\" })
        else { return "/dags" }
        return next
    }

    static func render(
        _ request: WebRequest, next: String?, username: String, error: String?, status: HTTPResponse.Status
    )
        -> APIResponse
    {
        PageLayout.page(request, title: "Sign in", status: status) { html in
            html.element("section", ["class": "login panel"]) { html in
                html.element("h1", text: "Sign in to Updraft")
                if let error { html.element("p", ["class": "error", "role": "alert"], text: error) }
                html.element("form", ["class": "stack", "method": "post", "action": "/login"]) { html in
                    html.element("label") { html in
                        html.text("User name")
                        html.open(
                            "input",
                            ["name": "username", "autocomplete": "username", "required": "", "autofocus": "", "value": username])
                    }
                    html.element("label") { html in
                        html.text("Password")
                        html.open("input", ["name": "password", "type": "password", "autocomplete": "current-password", "required": ""])
                    }
                    html.open("input", ["type": "hidden", "name": "next", "value": safeNext(next)])
                    html.element("button", ["type": "submit", "class": "primary"], text: "Sign in")
                }
                html.element("p", ["class": "muted"]) { html in
                    html.text("Users are managed with ")
                    html.element("code", text: "updraft users add")
                    html.text("; the first admin's password is printed by ")
                    html.element("code", text: "updraft standalone")
                    html.text(".")
                }
            }
        }
    }
}
