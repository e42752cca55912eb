import Foundation
import UpdraftRuntime
import UpdraftStore

/// The REST API's entities pass through to the inner store.
extension BrokenStore {
    func users() async throws -> [UserRecord] { try await inner.users() }
    func user(_ username: String) async throws -> UserRecord? { try await inner.user(username) }
    func saveUser(_ user: UserRecord) async throws { try await inner.saveUser(user) }
    func deleteUser(_ username: String) async throws -> Bool { try await inner.deleteUser(username) }
    func signingKey(orStore candidate: [UInt8]) async throws -> [UInt8] { try await inner.signingKey(orStore: candidate) }
    func variables() async throws -> [VariableRecord] { try await inner.variables() }
    func variable(_ key: String) async throws -> VariableRecord? { try await inner.variable(key) }
    func saveVariable(_ v: VariableRecord) async throws { try await inner.saveVariable(v) }
    func deleteVariable(_ key: String) async throws -> Bool { try await inner.deleteVariable(key) }
    func connections() async throws -> [ConnectionRecord] { try await inner.connections() }
    func connection(_ id: String) async throws -> ConnectionRecord? { try await inner.connection(id) }
    func saveConnection(_ c: ConnectionRecord) async throws { try await inner.saveConnection(c) }
    func deleteConnection(_ id: String) async throws -> Bool { try await inner.deleteConnection(id) }
    func recordEvent(_ event: EventLogRecord) async throws -> Int64 { try await inner.recordEvent(event) }
    func eventLogs(_ query: EventLogQuery) async throws -> (records: [EventLogRecord], total: Int) {
        try await inner.eventLogs(query)
    }
    func deleteEventLogs(before date: Date) async throws -> Int { try await inner.deleteEventLogs(before: date) }
    func syncDAGVersions(_ hashes: [String: String], now: Date) async throws -> [String: DAGVersionRecord] {
        try await inner.syncDAGVersions(hashes, now: now)
    }
    func dagVersions(dagId: String) async throws -> [DAGVersionRecord] { try await inner.dagVersions(dagId: dagId) }
    func dagVersion(id: String) async throws -> DAGVersionRecord? { try await inner.dagVersion(id: id) }
    func deleteRun(_ key: RunKey) async throws -> Bool { try await inner.deleteRun(key) }
    func deletePool(_ name: String) async throws -> Bool { try await inner.deletePool(name) }
    func setRunNote(_ key: RunKey, note: String?) async throws { try await inner.setRunNote(key, note: note) }
    func xcoms(run: RunKey, taskId: String?) async throws -> [XComRecord] { try await inner.xcoms(run: run, taskId: taskId) }
    func countRuns(_ query: RunQuery) async throws -> Int { try await inner.countRuns(query) }
    func recordExternalAssetEvent(assetId: Int64, extra: [String: JSONValue], now: Date) async throws -> AssetEvent {
        try await inner.recordExternalAssetEvent(assetId: assetId, extra: extra, now: now)
    }
    func assetEvents(_ query: AssetEventQuery) async throws -> (events: [AssetEvent], total: Int) {
        try await inner.assetEvents(query)
    }
}
