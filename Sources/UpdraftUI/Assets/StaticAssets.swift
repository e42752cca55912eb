import HTTPTypes
import Hummingbird
import NIOCore
import UpdraftAPI

/// The UI's own stylesheet, script and icon, served under content-hashed paths with a year's
/// cache (a new build changes the path, so browsers never run an old script).
public enum StaticAssets {
    static let style = Array(StyleSheet.text.utf8)
    static let script = Array(ScriptSource.text.utf8)
    static let icon = Array(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><path d=\"M2 13 L8 3 L14 13 Z\" fill=\"#0072b2\"/></svg>".utf8)

    public static let stylePath = "/ui/static/updraft-" + hash(style) + ".css"
    public static let scriptPath = "/ui/static/updraft-" + hash(script) + ".js"
    public static let iconPath = "/ui/static/icon-" + hash(icon) + ".svg"

    /// The routes of the three files.
    static var routes: [WebRoute] {
        [
            file(stylePath, style, "text/css; charset=utf-8"),
            file(scriptPath, script, "text/javascript; charset=utf-8"),
            file(iconPath, icon, "image/svg+xml"),
        ]
    }

    private static func file(_ path: String, _ bytes: [UInt8], _ type: String) -> WebRoute {
        WebRoute(.get, path, role: nil) { _ in
            var response = APIResponse.bytes(.ok, bytes, contentType: type)
            response.headers[.cacheControl] = "public, max-age=31536000, immutable"
            response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
            return response
        }
    }

    /// The first 12 hex digits of the file's validator (the pages' ETag function).
    private static func hash(_ bytes: [UInt8]) -> String {
        String(APIResponse.etag(bytes).dropFirst().prefix(12))
    }
}
