import Foundation
import Testing
import UpdraftRuntime
import UpdraftStore
import UpdraftTesting

/// A DAG's structure hash and the versions the engine records from it.
@Suite struct DAGVersionTests {
    static func etl(retries: Int = 0, extraTask: Bool = false, startDate: Date = .utc(2024, 1, 1)) -> DAG {
        DAG("etl", schedule: "@daily", startDate: startDate, params: [.integer("limit", default: 10)]) { d in
            let extract = d.task("extract", options: TaskOptions(retry: RetryPolicy(retries: retries))) { _ in }
            let load = d.task("load") { _ in }
            extract >> load
            if extraTask { _ = d.task("report") { _ in } }
        }
    }

    @Test func theHashIsStableAndFollowsTheStructure() {
        let hash = Self.etl().structureHash
        #expect(hash.count == 16 && hash.allSatisfy(\.isHexDigit))
        #expect(Self.etl().structureHash == hash)
        #expect(Self.etl(startDate: .utc(2025, 6, 1)).structureHash == hash)  // no dates of the schedule
        #expect(Self.etl(retries: 2).structureHash != hash)
        #expect(Self.etl(extraTask: true).structureHash != hash)
        let otherDefault = DAG("etl", schedule: "@daily", params: [.integer("limit", default: 20)]) { d in
            let extract = d.task("extract") { _ in }
            let load = d.task("load") { _ in }
            extract >> load
        }
        #expect(otherDefault.structureHash != hash)
        // The same text in every process: FNV-1a 64 of the canonical text, not Swift's seeded Hasher.
        #expect(DAG.fnv1a64Hex("") == "cbf29ce484222325")
        #expect(DAG.fnv1a64Hex("a") == "af63dc4c8601ec8c")
    }

    @Test func runsRecordTheVersionTheirDAGHad() async throws {
        let store = MemoryStateStore()
        let home = EngineHome(FileManager.default.temporaryDirectory.appendingPathComponent("updraft-v-\(UUID().uuidString)").path)
        func engine(_ dag: DAG) async throws -> Engine {
            let engine = Engine(home: home, store: store, registry: try DAGRegistry([dag]))
            try await engine.syncDAGs()
            return engine
        }
        let first = try await engine(Self.etl())
        let v1 = try await first.dagVersion(for: "etl")
        #expect(v1.versionNumber == 1)
        let run1 = try await first.trigger(dagId: "etl")
        #expect(run1.dagVersionId == v1.id)
        #expect(try await store.run(run1.key)?.dagVersionId == v1.id)

        // The same code opened again: the same version.
        let again = try await engine(Self.etl())
        #expect(try await again.dagVersion(for: "etl") == v1)

        // A changed task: version 2, which new runs name; older runs keep theirs.
        let changed = try await engine(Self.etl(retries: 3))
        let v2 = try await changed.dagVersion(for: "etl")
        #expect(v2.versionNumber == 2 && v2.id != v1.id)
        let run2 = try await changed.trigger(dagId: "etl", runId: "second")
        #expect(run2.dagVersionId == v2.id)
        #expect(try await store.run(run1.key)?.dagVersionId == v1.id)
        #expect(try await store.dagVersions(dagId: "etl").map(\.versionNumber) == [1, 2])
    }

    /// The scheduler's runs go through `trigger` too.
    @Test func scheduledRunsRecordTheirVersion() async throws {
        let harness = try await DAGTestHarness(dags: [Self.etl()])
        let version = try await harness.engine.dagVersion(for: "etl")
        let run = try await harness.engine.trigger(
            dagId: "etl", logicalDate: .utc(2024, 1, 1),
            dataInterval: DataInterval(start: .utc(2024, 1, 1), end: .utc(2024, 1, 2)), runType: .scheduled,
            triggeredBy: .timetable, runId: "scheduled__2024-01-01T00:00:00+00:00")
        #expect(run.dagVersionId == version.id)
        #expect(run.triggeringUserName == nil)
        // Not a user's action: no audit entry.
        #expect(try await harness.store.eventLogs(EventLogQuery(event: AuditEvent.triggerDAGRun)).total == 0)
    }
}
