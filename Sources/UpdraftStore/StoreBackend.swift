import Foundation

/// A kind of state store a binary can open by URL (`state.url`): SQLite is built in; a binary
/// adds others (PostgreSQL, from the `UpdraftPostgres` product) by passing their backend.
///
/// ```swift
/// let store = try await StoreBackend.open("postgresql://updraft@db:5432/updraft", password: pw, home: "runs",
///                                         backends: [PostgresStateStore.backend])
/// ```
public struct StoreBackend: Sendable {
    /// URL schemes it opens (`postgresql`, `postgres`).
    public let schemes: [String]
    /// Opens (and migrates) the store at `url`; `password`, when set, is the login's (kept out of the URL text).
    public let open: @Sendable (_ url: String, _ password: String?) async throws -> any StateStore

    public init(schemes: [String], open: @escaping @Sendable (_ url: String, _ password: String?) async throws -> any StateStore) {
        self.schemes = schemes; self.open = open
    }

    /// Where the state lives, read from `state.url`: the home's SQLite file when empty, a SQLite
    /// file for `sqlite:///path` or a plain path, else a backend's URL.
    public enum Location: Sendable, Equatable {
        case sqlite(path: String)
        case url(scheme: String, url: String)
    }

    /// Reads `url` (relative SQLite paths resolve against `home`); a password written in the
    /// URL is refused, naming where it belongs, so that it never shows in a listing or a log.
    public static func location(of url: String, home: String) throws -> Location {
        let text = url.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return .sqlite(path: (home as NSString).appendingPathComponent("updraft.db")) }
        guard let range = text.range(of: "://") else {
            return .sqlite(path: text.hasPrefix("/") ? text : (home as NSString).appendingPathComponent(text))
        }
        let scheme = String(text[..<range.lowerBound]).lowercased()
        let rest = text[range.upperBound...]
        if scheme == "sqlite" {
            let path = String(rest)
            guard !path.isEmpty else { throw StoreError.database("state.url 'sqlite://' names no file (sqlite:///path/to/updraft.db)") }
            return .sqlite(path: path.hasPrefix("/") ? path : (home as NSString).appendingPathComponent(path))
        }
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        if let at = authority.lastIndex(of: "@"), authority[..<at].contains(":") {
            throw StoreError.database(
                "state.url carries a password: put it in state.password (or state.password_file, or the "
                    + "environment variable UPDRAFT_STATE_PASSWORD), never in the URL")
        }
        return .url(scheme: scheme, url: text)
    }

    /// Opens the store at `url` with the backend for its scheme; SQLite needs none.
    public static func open(
        _ url: String, password: String?, home: String, backends: [StoreBackend], durableAcrossPowerLoss: Bool = false
    ) async throws -> any StateStore {
        switch try location(of: url, home: home) {
        case .sqlite(let path): return try SQLiteStateStore(path: path, durableAcrossPowerLoss: durableAcrossPowerLoss)
        case .url(let scheme, let url):
            guard let backend = backends.first(where: { $0.schemes.contains(scheme) }) else {
                let known = (["sqlite"] + backends.flatMap(\.schemes)).joined(separator: ", ")
                throw StoreError.database("state.url: this binary opens no '\(scheme)' store (it knows \(known))")
            }
            return try await backend.open(url, password)
        }
    }
}
