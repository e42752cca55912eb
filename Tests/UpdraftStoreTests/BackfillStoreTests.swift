import Foundation
import Testing
import UpdraftCore

@testable import UpdraftStore

/// The `backfill` rows and the runs' `backfill_id`, on both stores.
@Suite struct BackfillStoreTests {
    static let t0 = StateStoreTests.t0

    static func record(_ dag: String = "etl", days: Double = 3) -> BackfillRecord {
        BackfillRecord(
            dagId: dag, fromDate: t0, toDate: t0.addingTimeInterval(86_400 * days), runBackwards: true,
            dagRunConf: ["n": 3, "mode": "full"], reprocessBehavior: .failed, maxActiveRuns: 2, createdAt: t0,
            triggeringUserName: "ada")
    }

    @Test(arguments: StoreKind.allCases)
    func backfillsRoundTripGetIdsAndFilter(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let first = try await store.createBackfill(Self.record())
        #expect(first.id >= 1)
        var expected = Self.record()
        expected.id = first.id
        #expect(first == expected)
        #expect(try await store.backfill(id: first.id) == expected)
        #expect(try await store.backfill(id: first.id + 100) == nil)
        let other = try await store.createBackfill(Self.record("other"))
        #expect(other.id != first.id)
        #expect(try await store.backfills(dagId: nil, activeOnly: false).map(\.id) == [first.id, other.id])
        #expect(try await store.backfills(dagId: "other", activeOnly: false).map(\.id) == [other.id])

        var done = first
        done.completedAt = Self.t0.addingTimeInterval(60)
        done.updatedAt = Self.t0.addingTimeInterval(60)
        done.isPaused = true
        try await store.updateBackfill(done)
        #expect(try await store.backfill(id: first.id) == done)
        #expect(try await store.backfills(dagId: nil, activeOnly: true).map(\.id) == [other.id])
        var missing = done
        missing.id = 999
        await #expect(throws: StoreError.unknownBackfill(999)) { try await store.updateBackfill(missing) }
    }

    /// One active backfill per DAG: the store refuses a second until the first completes.
    @Test(arguments: StoreKind.allCases)
    func aDAGHasAtMostOneActiveBackfill(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        var first = try await store.createBackfill(Self.record())
        await #expect(throws: StoreError.activeBackfill(dagId: "etl", id: first.id)) {
            _ = try await store.createBackfill(Self.record())
        }
        first.completedAt = Self.t0
        try await store.updateBackfill(first)
        #expect(try await store.createBackfill(Self.record()).id != first.id)
    }

    /// Runs carry their backfill's id, filter by it and by logical date, and never lose it to a
    /// write of a run value read before the backfill re-ran it.
    @Test(arguments: StoreKind.allCases)
    func runsCarryTheirBackfillId(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let backfill = try await store.createBackfill(Self.record())
        var own = StateStoreTests.run("backfill__a", logical: 0)
        own.backfillId = backfill.id
        try await store.createRun(own, instances: [])
        try await store.createRun(StateStoreTests.run("scheduled__b", logical: 86_400), instances: [])
        #expect(try await store.run(own.key)?.backfillId == backfill.id)
        #expect(try await store.runs(RunQuery(backfillId: backfill.id)).map(\.runId) == ["backfill__a"])
        let range = Self.t0.addingTimeInterval(1)...Self.t0.addingTimeInterval(86_400)
        #expect(try await store.runs(RunQuery(dagId: "etl", logicalDates: range)).map(\.runId) == ["scheduled__b"])
        var stale = own
        stale.backfillId = nil
        stale.state = .success
        var batch = StateBatch()
        batch.runs = [stale]
        try await store.commit(batch)
        #expect(try await store.run(own.key)?.state == .success)
        #expect(try await store.run(own.key)?.backfillId == backfill.id)
    }
}
