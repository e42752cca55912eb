import Foundation
import GRDB
import Testing

@testable import UpdraftStore

/// A new `updraft.db` gets the final schema at once (`SchemaSnapshot`): the schema the migrations
/// leave, entry for entry.
@Suite struct StoreSchemaSnapshotTests {
    static let regenerate = "UPDRAFT_WRITE_SCHEMA_SNAPSHOT=1 swift test --filter StoreSchemaSnapshotTests"

    /// With `UPDRAFT_WRITE_SCHEMA_SNAPSHOT=1` it first rewrites the snapshot from the migrations
    /// (after adding a migration: run it so, review the diff, run the tests again).
    @Test func theSnapshotIsTheSchemaTheMigrationsLeave() throws {
        if ProcessInfo.processInfo.environment["UPDRAFT_WRITE_SCHEMA_SNAPSHOT"] == "1" {
            let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../Sources/UpdraftStore/SQLite/StoreSchema+Snapshot.swift").standardized
            try SchemaSnapshot.of(StoreSchema.migrator)
                .generatedSource(extending: "StoreSchema", property: "snapshot", imports: [], regenerate: Self.regenerate)
                .write(to: file, atomically: true, encoding: .utf8)
        }
        let difference = try StoreSchema.snapshot.differences(from: StoreSchema.migrator)
        #expect(difference == nil, "\(difference ?? ""); run \(Self.regenerate)")
    }

    @Test func aNewHomeGetsTheSnapshotWithEveryMigrationApplied() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-snapshot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStateStore(path: folder.appendingPathComponent("updraft.db").path)
        #expect(try await store.pendingMigrations().isEmpty)
        let migrated = try DatabaseQueue()
        try StoreSchema.migrator.migrate(migrated)
        let made = try await store.pool.read(SchemaSnapshot.entries)
        #expect(try await made == migrated.read(SchemaSnapshot.entries))
    }
}
