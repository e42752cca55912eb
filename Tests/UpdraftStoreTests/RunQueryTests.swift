import Foundation
import Testing
import UpdraftCore

@testable import UpdraftStore

/// The run listing's filters, order and pages, on both stores.
@Suite struct RunQueryTests {
    static let t0 = StateStoreTests.t0

    /// Four runs created in this order: (id, dag, state, logical day, started?, ended?, queued minute).
    static func fill(_ store: any StateStore) async throws {
        let rows: [(String, String, RunState, Double, Double?, Double?, Double)] = [
            ("manual__2024-01-03", "etl", .success, 2, 10, 20, 5),
            ("scheduled__2024-01-01", "etl", .failed, 0, 30, 40, 1),
            ("Manual__2024-01-02", "report", .running, 1, 50, nil, 3),
            ("backfill__2024-01-04", "etl", .queued, 3, nil, nil, 2),
        ]
        for (id, dag, state, day, start, end, queued) in rows {
            var run = StateStoreTests.run(id, dag: dag, state: state, logical: day * 86_400)
            run.startDate = start.map { t0.addingTimeInterval($0 * 60) }
            run.endDate = end.map { t0.addingTimeInterval($0 * 60) }
            run.queuedAt = t0.addingTimeInterval(queued * 60)
            try await store.createRun(run, instances: [])
        }
    }

    static func ids(_ store: any StateStore, _ configure: (inout RunQuery) -> Void) async throws -> [String] {
        var query = RunQuery()
        configure(&query)
        return try await store.runs(query).map(\.runId)
    }

    @Test(arguments: StoreKind.allCases)
    func theDefaultOrderIsNewestLogicalDateFirst(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await Self.fill(store)
        #expect(
            try await Self.ids(store) { _ in }
                == ["backfill__2024-01-04", "manual__2024-01-03", "Manual__2024-01-02", "scheduled__2024-01-01"])
        #expect(try await store.countRuns(RunQuery()) == 4)
    }

    @Test(arguments: StoreKind.allCases)
    func everyOrderFieldSortsBothWays(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await Self.fill(store)
        let m3 = "manual__2024-01-03", s1 = "scheduled__2024-01-01", m2 = "Manual__2024-01-02", b4 = "backfill__2024-01-04"
        let expected: [String: [String]] = [
            "id": [m3, s1, m2, b4],
            "-id": [b4, m2, s1, m3],
            "run_id": [m2, b4, m3, s1],  // binary order: upper case first
            "state": [s1, b4, m2, m3],
            "dag_id": [m3, s1, b4, m2],
            "-dag_id": [m2, b4, s1, m3],
            "logical_date": [s1, m2, m3, b4],
            "run_after": [s1, b4, m2, m3],
            "-queued_at": [m3, m2, b4, s1],
            "start_date": [b4, m3, s1, m2],  // not started first, as SQL sorts NULL
            "-end_date": [s1, m3, b4, m2],
        ]
        for (text, ids) in expected {
            let order = try #require(RunOrder(text))
            #expect(order.description == text)
            #expect(try await Self.ids(store) { $0.orderBy = order } == ids, "\(text)")
        }
        #expect(RunOrder("-nope") == nil)
        #expect(RunOrder.default == RunOrder("-logical_date"))
    }

    @Test(arguments: StoreKind.allCases)
    func filtersCombineAndCountIgnoresThePage(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        try await Self.fill(store)
        let day = 86_400.0
        func at(_ seconds: Double) -> Date { Self.t0.addingTimeInterval(seconds) }
        #expect(
            try await Self.ids(store) {
                $0.logicalDateGte = at(day); $0.logicalDateLte = at(2 * day)
            } == ["manual__2024-01-03", "Manual__2024-01-02"])
        #expect(try await Self.ids(store) { $0.startDateGte = at(30 * 60) } == ["Manual__2024-01-02", "scheduled__2024-01-01"])
        #expect(try await Self.ids(store) { $0.startDateLte = at(30 * 60) } == ["manual__2024-01-03", "scheduled__2024-01-01"])
        #expect(try await Self.ids(store) { $0.endDateLte = at(20 * 60) } == ["manual__2024-01-03"])
        #expect(try await Self.ids(store) { $0.endDateGte = at(0) } == ["manual__2024-01-03", "scheduled__2024-01-01"])
        #expect(
            try await Self.ids(store) {
                $0.runAfterGte = at(2 * 60); $0.runAfterLte = at(3 * 60)
            } == ["backfill__2024-01-04", "Manual__2024-01-02"])
        #expect(try await Self.ids(store) { $0.runIdPattern = "manual" } == ["manual__2024-01-03", "Manual__2024-01-02"])
        #expect(
            try await Self.ids(store) {
                $0.runIdPattern = "2024-01-0_"; $0.dagId = "etl"; $0.states = [.queued, .failed]
            } == ["backfill__2024-01-04", "scheduled__2024-01-01"])
        #expect(
            try await Self.ids(store) {
                $0.limit = 2; $0.offset = 1
            } == ["manual__2024-01-03", "Manual__2024-01-02"])
        #expect(try await Self.ids(store) { $0.offset = 3 } == ["scheduled__2024-01-01"])
        var query = RunQuery(dagId: "etl", limit: 1)
        query.offset = 1
        #expect(try await store.runs(query).count == 1)
        #expect(try await store.countRuns(query) == 3)
        query.runIdPattern = "%01-0_"
        query.startDateGte = at(0)
        #expect(try await store.countRuns(query) == 2)
    }
}
