import Foundation
import GRDB

/// What `updraft db migrate|copy|backup|check` ask of a store, whatever its backend.
public protocol StoreMaintenance: Sendable {
    /// A short description of where the state lives, without any password.
    var location: String { get }
    /// Applies the migrations the store lacks; returns their ids (empty when up to date).
    func migrate() async throws -> [String]
    /// Ids of the migrations the store lacks.
    func pendingMigrations() async throws -> [String]
    /// Copies a SQLite state file (users, variables and connections included) into this store,
    /// which must hold no state yet; returns the rows copied per table.
    func importSQLite(path: String) async throws -> [String: Int]
    /// Writes a consistent copy of the whole state, taken while the store is in use, as a SQLite
    /// state file at `path` (which must not exist); returns the rows per table.
    func exportSQLite(to path: String) async throws -> [String: Int]
}

extension SQLiteStateStore: StoreMaintenance {
    public var location: String { path }

    public func migrate() async throws -> [String] {
        let pending = try await pendingMigrations()
        if !pending.isEmpty { try StoreSchema.migrator.migrate(pool) }
        return pending
    }

    public func pendingMigrations() async throws -> [String] {
        let migrator = StoreSchema.migrator
        let applied = try read { db in try migrator.appliedIdentifiers(db) }
        return migrator.migrations.filter { !applied.contains($0) }
    }

    public func importSQLite(path: String) async throws -> [String: Int] {
        throw StoreError.database(
            "\(self.path): copying into a SQLite file is a backup: `updraft db backup FILE`, then use FILE as state.url")
    }

    /// SQLite's online backup: pages copied while writers go on, consistent as of its end.
    public func exportSQLite(to path: String) async throws -> [String: Int] {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError.database("\(path) exists already: a backup never overwrites a file")
        }
        do {
            let target = try DatabaseQueue(path: path)
            try pool.backup(to: target)
            return try await target.read { db in try Self.rowCounts(db) }
        } catch let error as DatabaseError {
            throw StoreError.database("\(path): \(error.message ?? "\(error)")")
        }
    }

    /// Rows per table of the state schema (GRDB's own bookkeeping left out).
    static func rowCounts(_ db: Database) throws -> [String: Int] {
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'")
        var counts: [String: Int] = [:]
        for table in tables { counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? 0 }
        return counts
    }
}
