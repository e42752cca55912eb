import Foundation
import GRDB
import Testing
import UpdraftStore

@testable import MarketData

/// A new `market.db` gets the final schema at once (`SchemaSnapshot`): the schema the migrations
/// leave, entry for entry.
@Suite struct MarketSchemaSnapshotTests {
    static let regenerate = "UPDRAFT_WRITE_SCHEMA_SNAPSHOT=1 swift test --filter MarketSchemaSnapshotTests"

    /// With `UPDRAFT_WRITE_SCHEMA_SNAPSHOT=1` it first rewrites the snapshot from the migrations
    /// (after adding a migration: run it so, review the diff, run the tests again).
    @Test func theSnapshotIsTheSchemaTheMigrationsLeave() throws {
        if ProcessInfo.processInfo.environment["UPDRAFT_WRITE_SCHEMA_SNAPSHOT"] == "1" {
            let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../Sources/MarketData/Database/MarketDatabase+SchemaSnapshot.swift").standardized
            try SchemaSnapshot.of(MarketDatabase.migrator)
                .generatedSource(
                    extending: "MarketDatabase", property: "schemaSnapshot", imports: ["UpdraftStore"], regenerate: Self.regenerate
                )
                .write(to: file, atomically: true, encoding: .utf8)
        }
        let difference = try MarketDatabase.schemaSnapshot.differences(from: MarketDatabase.migrator)
        #expect(difference == nil, "\(difference ?? ""); run \(Self.regenerate)")
    }

    @Test func aNewFileGetsTheSnapshotAndAFileWithAnySchemaIsLeftToTheMigrator() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-snapshot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try MarketDatabase(path: folder.appendingPathComponent("market.db").path)
        #expect(try database.appliedMigrations() == MarketDatabase.migrator.migrations)
        let migrated = try DatabaseQueue()
        try MarketDatabase.migrator.migrate(migrated)
        #expect(try database.writer.read(SchemaSnapshot.entries) == migrated.read(SchemaSnapshot.entries))
        #expect(try !MarketDatabase.schemaSnapshot.applyIfEmpty(to: database.writer, migrator: MarketDatabase.migrator))
        // A snapshot of other migrations is never applied.
        var other = DatabaseMigrator()
        other.registerMigration("other") { db in try db.execute(sql: "CREATE TABLE t (x)") }
        #expect(try !MarketDatabase.schemaSnapshot.applyIfEmpty(to: DatabaseQueue(), migrator: other))
    }
}
