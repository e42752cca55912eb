import Foundation
import UpdraftPostgres
import UpdraftStore

/// Fresh PostgreSQL databases for tests, created through the server that
/// `UPDRAFT_TEST_POSTGRES_URL` names (its `postgres` database is the admin connection).
enum PostgresTestDatabase {
    /// The test server's URL; nil when no PostgreSQL runs for the tests.
    static let adminURL: String? = ProcessInfo.processInfo.environment["UPDRAFT_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// Creates an empty database and returns its URL.
    static func create() async throws -> PostgresURL {
        guard let adminURL else { throw StoreError.database("UPDRAFT_TEST_POSTGRES_URL is not set") }
        var url = try PostgresURL(adminURL)
        let name = "updraft_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await PostgresStateStore.createDatabase(name, adminURL: url)
        url.database = name
        return url
    }

    /// A store on a fresh database; its owners on host `h` are local (`isAlive` is asked about them),
    /// as the shared store tests expect.
    static func makeStore() async throws -> PostgresStateStore {
        try await PostgresStateStore.connect(url: try await create(), maximumConnections: 4, localHost: "h")
    }
}
