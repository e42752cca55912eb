import Foundation

/// A parsed `postgresql://` (or `postgres://`) URL: where the state database is and how to reach it.
///
/// `postgresql://user:password@host:port/database?sslmode=verify-full&sslrootcert=/etc/ca.pem&application_name=updraft`.
/// The password is percent-decoded; the port defaults to 5432 and the database to the user's name,
/// as libpq does. `description` and `redacted` never show the password, and neither does any error.
///
/// ```swift
/// let url = try PostgresURL("postgresql://updraft:s3cr%40t@db.internal/updraft?sslmode=require")
/// print(url)   // postgresql://updraft:***@db.internal:5432/updraft?sslmode=require
/// ```
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// libpq's `sslmode` values that Updraft supports.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS when the server offers it, without certificate checks (libpq's default).
        case prefer
        /// TLS or fail; no certificate check (as libpq, unless `sslrootcert` is given: then as `verify-ca`).
        case require
        /// TLS with a certificate chain that leads to a trusted root (`sslrootcert`, else the system's).
        case verifyCA = "verify-ca"
        /// As `verify-ca`, and the certificate must name the host.
        case verifyFull = "verify-full"
    }

    /// The role to log in as (required).
    public var user: String
    /// Percent-decoded; shown as `***` everywhere.
    public var password: String?
    /// A name or an IP address (IPv6 without its brackets).
    public var host: String
    /// 5432 unless the URL says otherwise.
    public var port: Int
    /// The user's name unless the URL names one.
    public var database: String
    /// `prefer` unless the URL says otherwise (libpq's default).
    public var sslMode: SSLMode
    /// A PEM file of trusted root certificates (libpq's `sslrootcert`).
    public var sslRootCert: String?
    /// Shown in `pg_stat_activity`.
    public var applicationName: String?

    /// Parses the URL; throws `PostgresURLError` naming the part at fault (never echoing the password).
    public init(_ text: String) throws {
        var rest: Substring
        if text.hasPrefix("postgresql://") {
            rest = text.dropFirst("postgresql://".count)
        } else if text.hasPrefix("postgres://") {
            rest = text.dropFirst("postgres://".count)
        } else {
            throw PostgresURLError(part: "scheme", message: "a PostgreSQL URL starts with postgresql:// or postgres://")
        }
        var queryText: Substring = ""
        if let mark = rest.firstIndex(of: "?") { queryText = rest[rest.index(after: mark)...]; rest = rest[..<mark] }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") { path = rest[rest.index(after: slash)...]; rest = rest[..<slash] }
        // The user info ends at the last `@` (a password may hold a raw `@`).
        var user = "", password: String?
        if let at = rest.lastIndex(of: "@") {
            let info = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = info.firstIndex(of: ":") {
                user = try Self.decode(info[..<colon], part: "user")
                password = try Self.decode(info[info.index(after: colon)...], part: "password")
            } else {
                user = try Self.decode(info, part: "user")
            }
        }
        guard !user.isEmpty else {
            throw PostgresURLError(part: "user", message: "the URL names no user (postgresql://USER@HOST/DB)")
        }
        var host = String(rest), port = 5432
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw PostgresURLError(part: "host", message: "an IPv6 host opened with [ is not closed with ]")
            }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") {
                port = try Self.port(after.dropFirst())
            } else if !after.isEmpty {
                throw PostgresURLError(part: "host", message: "unexpected text after the IPv6 host")
            }
        } else if let colon = rest.firstIndex(of: ":") {
            host = String(rest[..<colon])
            port = try Self.port(rest[rest.index(after: colon)...])
        }
        host = try Self.decode(Substring(host), part: "host")
        guard !host.isEmpty else { throw PostgresURLError(part: "host", message: "the URL names no host") }
        let database = try Self.decode(path, part: "database")
        guard !database.contains("/") else {
            throw PostgresURLError(part: "database", message: "the database name '\(database)' contains a /")
        }
        self.user = user; self.password = password; self.host = host; self.port = port
        self.database = database.isEmpty ? user : database
        self.sslMode = .prefer
        for pair in queryText.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decode(parts[0], part: "query")
            let value = parts.count > 1 ? try Self.decode(parts[1], part: key) : ""
            switch key {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw PostgresURLError(
                        part: "sslmode",
                        message: "'\(value)' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                sslMode = mode
            case "sslrootcert": sslRootCert = value
            case "application_name": applicationName = value
            default:
                throw PostgresURLError(
                    part: "query", message: "unknown parameter '\(key)' (known: sslmode, sslrootcert, application_name)")
            }
        }
    }

    static func port(_ text: Substring) throws -> Int {
        guard let port = Int(text), (1...65_535).contains(port) else {
            throw PostgresURLError(part: "port", message: "'\(text)' is not a port number (1-65535)")
        }
        return port
    }

    static func decode(_ text: Substring, part: String) throws -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            // The password's text is never repeated.
            throw PostgresURLError(
                part: part, message: part == "password" ? "bad percent-encoding" : "bad percent-encoding in '\(text)'")
        }
        return decoded
    }

    /// The URL with `***` for the password: safe for logs and error messages.
    public var redacted: String {
        func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/"))) ?? text
        }
        var text = "postgresql://" + encode(user) + (password == nil ? "" : ":***") + "@"
        text += host.contains(":") ? "[\(host)]" : host
        text += ":\(port)/" + encode(database) + "?sslmode=" + sslMode.rawValue
        if let sslRootCert { text += "&sslrootcert=" + sslRootCert }
        if let applicationName { text += "&application_name=" + encode(applicationName) }
        return text
    }

    /// The server, `host:port`, as error messages name it.
    public var server: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public var description: String { redacted }
}

extension PostgresURL: CustomDebugStringConvertible, CustomReflectable {
    public var debugDescription: String { redacted }
    /// `dump` and debuggers see the redacted URL only.
    public var customMirror: Mirror { Mirror(self, children: ["url": redacted]) }
}

/// A PostgreSQL URL that does not parse: the part at fault (`scheme`, `user`, `password`, `host`,
/// `port`, `database`, `query`, `sslmode`…) and why. Never contains the password.
public struct PostgresURLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var part: String
    public var message: String
    public var description: String { "invalid PostgreSQL URL (\(part)): \(message)" }
}
