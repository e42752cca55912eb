import Foundation
import GRDB
import Testing
import UpdraftCore
import UpdraftStore

/// The assets and references the code declares reach the store at start-up, and follow it when
/// the code changes (the unchanged case is answered by a read).
@Suite struct AssetReferenceSyncTests {
    static let ticks = Asset("tickerdata_1m", uri: "updraft://warehouse/tickerdata_1m")

    static func references(consumer: String, producer: TaskKeyName, name: String = "tickerdata_1m") -> AssetReferences {
        var references = AssetReferences()
        references.assets = [Asset(name, uri: ticks.uri)]
        references.consumers = [ticks.uri: [consumer]]
        references.producers = [ticks.uri: [producer]]
        return references
    }

    @Test func referencesFollowTheCode() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("assets-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStateStore(path: path)
        let first = Self.references(consumer: "indicators", producer: TaskKeyName("historical", "publish"))
        try await store.syncAssets(first, now: .utc(2024, 1, 1))
        // Unchanged references are answered by a read: no other connection sees a commit.
        let watcher = try DatabaseQueue(path: path)
        defer { try? watcher.close() }
        let version = { try watcher.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") } }
        let before = try version()
        try await store.syncAssets(first, now: .utc(2024, 1, 2))
        #expect(try version() == before)
        var asset = try #require(try await store.assets().first)
        #expect(asset.consumingDAGs == ["indicators"])
        #expect(asset.producingTasks == [TaskKeyName("historical", "publish")])
        #expect(asset.updatedAt == .utc(2024, 1, 1))

        let second = Self.references(
            consumer: "training", producer: TaskKeyName("incremental", "publish"), name: "ticks")
        try await store.syncAssets(second, now: .utc(2024, 1, 3))
        #expect(try version() != before)
        asset = try #require(try await store.assets().first)
        #expect(asset.asset.name == "ticks")
        #expect(asset.consumingDAGs == ["training"])
        #expect(asset.producingTasks == [TaskKeyName("incremental", "publish")])
        #expect(try await store.assets().count == 1)
    }
}
