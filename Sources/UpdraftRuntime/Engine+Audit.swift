import Foundation
import UpdraftCore
import UpdraftStore

extension Engine {
    /// Writes one entry of the audit log, stamped by the engine's clock (`AuditEvent` lists the
    /// engine's names; the REST API may add its own). `extra` is stored as JSON with sorted keys.
    ///
    /// ```swift
    /// try await engine.audit(AuditEvent.pauseDAG, owner: "ada", dagId: "etl")
    /// ```
    @discardableResult
    public func audit(
        _ event: String, owner: String?, dagId: String? = nil, runId: String? = nil, taskId: String? = nil,
        logicalDate: Date? = nil, extra: [String: JSONValue] = [:]
    ) async throws -> Int64 {
        let text = extra.isEmpty ? nil : String(decoding: try XComCoding.encode(extra), as: UTF8.self)
        return try await store.recordEvent(
            EventLogRecord(
                when: clock.now, event: event, owner: owner, dagId: dagId, runId: runId, taskId: taskId,
                logicalDate: logicalDate, extra: text))
    }

    /// Pauses or unpauses a DAG of the registry and logs it; false when the store does not know it.
    @discardableResult
    public func setPaused(_ dagId: String, _ paused: Bool, owner: String?) async throws -> Bool {
        _ = try registry.dag(dagId)
        guard try await store.setPaused(dagId, paused) else { return false }
        try await audit(paused ? AuditEvent.pauseDAG : AuditEvent.unpauseDAG, owner: owner, dagId: dagId)
        return true
    }

    /// Creates a pool or changes its slots (an empty description keeps the stored one) and logs it.
    public func setPool(_ pool: PoolRecord, owner: String?) async throws {
        guard pool.slots >= 0 else { throw RuntimeError.badRequest("pool '\(pool.name)': slots must be 0 or more, got \(pool.slots)") }
        try await store.setPool(pool)
        try await audit(AuditEvent.setPool, owner: owner, extra: ["pool": .string(pool.name), "slots": .number(Double(pool.slots))])
    }

    /// Deletes a pool and logs it; false when there was none. The default pool cannot be deleted
    /// (as in Airflow): `badRequest`.
    @discardableResult
    public func deletePool(_ name: String, owner: String?) async throws -> Bool {
        if name == PoolRecord.defaultPool.name { throw RuntimeError.badRequest("the default pool '\(name)' cannot be deleted") }
        guard try await store.deletePool(name) else { return false }
        try await audit(AuditEvent.deletePool, owner: owner, extra: ["pool": .string(name)])
        return true
    }

    /// Sets a variable and logs it (without its value).
    public func setVariable(_ variable: VariableRecord, owner: String?) async throws {
        try await store.saveVariable(variable)
        try await audit(AuditEvent.setVariable, owner: owner, extra: ["key": .string(variable.key)])
    }

    /// Deletes a variable and logs it; false when there was none.
    @discardableResult
    public func deleteVariable(_ key: String, owner: String?) async throws -> Bool {
        guard try await store.deleteVariable(key) else { return false }
        try await audit(AuditEvent.deleteVariable, owner: owner, extra: ["key": .string(key)])
        return true
    }

    /// Adds or replaces a connection and logs it (without its password).
    public func setConnection(_ connection: ConnectionRecord, owner: String?) async throws {
        try await store.saveConnection(connection)
        try await audit(
            AuditEvent.setConnection, owner: owner,
            extra: ["connection_id": .string(connection.connectionId), "conn_type": .string(connection.connType)])
    }

    /// Deletes a connection and logs it; false when there was none.
    @discardableResult
    public func deleteConnection(_ id: String, owner: String?) async throws -> Bool {
        guard try await store.deleteConnection(id) else { return false }
        try await audit(AuditEvent.deleteConnection, owner: owner, extra: ["connection_id": .string(id)])
        return true
    }

    /// Adds or replaces a user of the REST API and logs it (with the role, never the hash).
    public func saveUser(_ user: UserRecord, owner: String?) async throws {
        try await store.saveUser(user)
        try await audit(
            AuditEvent.setUser, owner: owner, extra: ["username": .string(user.username), "role": .string(user.role.rawValue)])
    }

    /// Deletes a user of the REST API and logs it; false when there was none.
    @discardableResult
    public func deleteUser(_ username: String, owner: String?) async throws -> Bool {
        guard try await store.deleteUser(username) else { return false }
        try await audit(AuditEvent.deleteUser, owner: owner, extra: ["username": .string(username)])
        return true
    }

    /// Sets or (with nil) removes a run's note and logs it; `unknownRun` for a run the store does not have.
    public func setRunNote(_ key: RunKey, note: String?, owner: String?) async throws {
        do { try await store.setRunNote(key, note: note) } catch StoreError.unknownRun(let key) {
            throw RuntimeError.unknownRun(key)
        }
        try await audit(AuditEvent.setDAGRunNote, owner: owner, dagId: key.dagId, runId: key.runId)
    }

    /// Records an asset event from outside any run (queued for the DAGs scheduled on the asset, as
    /// a task's event is) and logs it; `unknownAsset` for an id the store does not have.
    public func createAssetEvent(assetId: Int64, extra: [String: JSONValue] = [:], owner: String?) async throws -> AssetEvent {
        let event = try await store.recordExternalAssetEvent(assetId: assetId, extra: extra, now: clock.now)
        try await audit(
            AuditEvent.createAssetEvent, owner: owner,
            extra: ["asset_id": .number(Double(assetId)), "asset_event_id": .number(Double(event.id))])
        return event
    }
}
