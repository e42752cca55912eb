import Foundation
import UpdraftCore
import UpdraftStore

extension Engine {
    /// Records a new version of every registry DAG whose structure changed (`DAG.structureHash`)
    /// and remembers the latest ones, which the runs this engine creates name.
    @discardableResult
    public func syncDAGVersions() async throws -> [String: DAGVersionRecord] {
        let hashes = Dictionary(uniqueKeysWithValues: registry.dags.map { ($0.key, $0.value.structureHash) })
        let latest = try await store.syncDAGVersions(hashes, now: clock.now)
        versions.withLock { $0.merge(latest) { $1 } }
        return latest
    }

    /// The latest version of a registry DAG as this engine's code has it (recorded first if the
    /// store does not have it yet).
    ///
    /// ```swift
    /// let version = try await engine.dagVersion(for: "etl")   // version.versionNumber: 1, 2, …
    /// ```
    public func dagVersion(for dagId: String) async throws -> DAGVersionRecord {
        if let known = versions.withLock({ $0[dagId] }) { return known }
        let dag = try registry.dag(dagId)
        guard let latest = try await store.syncDAGVersions([dagId: dag.structureHash], now: clock.now)[dagId] else {
            throw RuntimeError.badRequest("the state store recorded no version of DAG '\(dagId)'")
        }
        versions.withLock { $0[dagId] = latest }
        return latest
    }
}
