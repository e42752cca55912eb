import Foundation
import Logging
import PostgresNIO
import UpdraftStore

extension PostgresStateStore {
    /// The advisory lock (an arbitrary constant: "updraft" in ASCII) held while migrating, so two
    /// processes opening a fresh database at once apply each migration once, one after the other.
    static let migrationLock: Int64 = 0x75_70_64_72_61_66_74

    /// Applies the migrations this database lacks; returns their ids (empty when it was current).
    /// `updraft db migrate` calls it; opening the store does it too.
    @discardableResult public func migrate() async throws -> [String] {
        do {
            return try await client.withConnection { connection in try await Self.applyMigrations(on: connection, logger: logger) }
        } catch { throw mapped(error) }
    }

    /// The ids of the migrations this database lacks, oldest first (`updraft db check`).
    public func pendingMigrations() async throws -> [String] {
        let exists = try await rows("SELECT to_regclass('schema_migration') IS NOT NULL").first?.decode(Bool.self) ?? false
        let applied = exists ? Set(try await rows("SELECT id FROM schema_migration").map { try $0.decode(String.self) }) : []
        return PostgresSchema.migrations.map(\.id).filter { !applied.contains($0) }
    }

    /// Connects once, migrates, disconnects: the first contact with the server at start-up.
    static func migrate(url: PostgresURL, logger: Logger) async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: try url.connectionConfiguration(), id: 0, logger: logger)
        } catch { throw mapped(error, url: url) }
        do {
            let applied = try await applyMigrations(on: connection, logger: logger)
            if !applied.isEmpty { logger.info("applied migrations \(applied.joined(separator: ", ")) to \(url)") }
        } catch {
            try? await connection.close()  // best effort: the error that matters is the migration's
            throw mapped(error, url: url)
        }
        try? await connection.close()  // the migrations are committed; a failed goodbye changes nothing
    }

    /// One transaction under `pg_advisory_xact_lock`: creates `schema_migration` if needed and runs
    /// every missing migration in order.
    static func applyMigrations(on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migration (id text PRIMARY KEY, applied_at double precision NOT NULL)",
                logger: logger)
            let applied = Set(
                try await connection.query("SELECT id FROM schema_migration", logger: logger).collect()
                    .map { try $0.decode(String.self) })
            var done: [String] = []
            for migration in PostgresSchema.migrations where !applied.contains(migration.id) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migration(id, applied_at) VALUES (\(migration.id), \(Date().timeIntervalSince1970))",
                    logger: logger)
                done.append(migration.id)
            }
            try await connection.query("COMMIT", logger: logger)
            return done
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)  // best effort; the first error is thrown
            throw error
        }
    }
}

extension PostgresStateStore {
    /// Creates an empty database `name` (letters, digits and `_`) on the server of `adminURL`, whose
    /// user may create databases; for setting up a server and for tests that want one database each.
    public static func createDatabase(
        _ name: String, adminURL: PostgresURL, logger: Logger = Logger(label: "updraft.postgres")
    ) async throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw StoreError.database("'\(name)' is not a plain database name (letters, digits and _)")
        }
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: try adminURL.connectionConfiguration(), id: 0, logger: logger)
        } catch { throw mapped(error, url: adminURL) }
        do {
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\""), logger: logger)
        } catch {
            try? await connection.close()  // the creation's error is the one to report
            throw mapped(error, url: adminURL)
        }
        try? await connection.close()  // the database exists; a failed goodbye changes nothing
    }
}
