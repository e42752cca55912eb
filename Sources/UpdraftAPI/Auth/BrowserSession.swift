import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import UpdraftStore

/// The web UI's way in: `POST /auth/login` sets the token as an `HttpOnly`, `SameSite=Strict`
/// session cookie, and a readable `updraft_csrf` cookie holding the CSRF token derived from it.
/// A request with the session cookie and no bearer is authenticated by the cookie; on every
/// unsafe method (POST, PATCH, PUT, DELETE) it must also send `X-CSRF-Token` equal to that token
/// (double submit, checked against the session, so a token from another session does not pass).
public enum BrowserSession {
    public static let sessionCookie = "updraft_session"
    public static let csrfCookie = "updraft_csrf"
    public static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    /// The CSRF token of a session: HMAC-SHA256 of the session token under the signing key.
    static func csrfToken(for session: String, key: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("csrf:\(session)".utf8), using: SymmetricKey(data: key))
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Whether `method` changes state (and so needs the CSRF token with a cookie session).
    static func isUnsafe(_ method: HTTPRequest.Method) -> Bool {
        method == .post || method == .patch || method == .put || method == .delete
    }

    /// The two cookies of a new session (`Secure` when served over TLS).
    static func cookies(session: String, csrf: String, lifetime: TimeInterval, secure: Bool) -> [Cookie] {
        [
            Cookie(
                name: sessionCookie, value: session, maxAge: Int(lifetime), path: "/", secure: secure, httpOnly: true,
                sameSite: .strict),
            Cookie(
                name: csrfCookie, value: csrf, maxAge: Int(lifetime), path: "/", secure: secure, httpOnly: false, sameSite: .strict),
        ]
    }

    /// Cookies that end the session in the browser.
    static func expired(secure: Bool) -> [Cookie] {
        [
            Cookie(name: sessionCookie, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict),
            Cookie(name: csrfCookie, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: false, sameSite: .strict),
        ]
    }
}
