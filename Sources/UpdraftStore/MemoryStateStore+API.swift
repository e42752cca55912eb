import Foundation
import UpdraftCore

extension MemoryStateStore {
    public func users() async throws -> [UserRecord] {
        contents.withLock { $0.users.values.sorted { $0.username < $1.username } }
    }

    public func user(_ username: String) async throws -> UserRecord? { contents.withLock { $0.users[username] } }

    public func saveUser(_ user: UserRecord) async throws { contents.withLock { $0.users[user.username] = user } }

    public func deleteUser(_ username: String) async throws -> Bool {
        contents.withLock { $0.users.removeValue(forKey: username) != nil }
    }

    public func signingKey(orStore candidate: [UInt8]) async throws -> [UInt8] {
        contents.withLock { c in
            if let key = c.signingKey { return key }
            c.signingKey = candidate
            return candidate
        }
    }

    public func variables() async throws -> [VariableRecord] {
        contents.withLock { $0.variables.values.sorted { $0.key < $1.key } }
    }

    public func variable(_ key: String) async throws -> VariableRecord? { contents.withLock { $0.variables[key] } }

    public func saveVariable(_ v: VariableRecord) async throws { contents.withLock { $0.variables[v.key] = v } }

    public func deleteVariable(_ key: String) async throws -> Bool {
        contents.withLock { $0.variables.removeValue(forKey: key) != nil }
    }

    public func connections() async throws -> [ConnectionRecord] {
        contents.withLock { $0.connections.values.sorted { $0.connectionId < $1.connectionId } }
    }

    public func connection(_ id: String) async throws -> ConnectionRecord? { contents.withLock { $0.connections[id] } }

    public func saveConnection(_ c: ConnectionRecord) async throws {
        contents.withLock { $0.connections[c.connectionId] = c }
    }

    public func deleteConnection(_ id: String) async throws -> Bool {
        contents.withLock { $0.connections.removeValue(forKey: id) != nil }
    }

    public func readVariable(_ key: String) throws -> VariableRecord? { contents.withLock { $0.variables[key] } }

    public func readConnection(_ id: String) throws -> ConnectionRecord? { contents.withLock { $0.connections[id] } }

    public func recordEvent(_ event: EventLogRecord) async throws -> Int64 {
        contents.withLock { c in
            var stored = event
            stored.id = c.nextEventLogId
            c.nextEventLogId += 1
            c.eventLog.append(stored)
            return stored.id
        }
    }

    public func eventLogs(_ query: EventLogQuery) async throws -> (records: [EventLogRecord], total: Int) {
        let (column, descending) = try query.order()
        return contents.withLock { c in
            let matching = c.eventLog.filter { entry in
                (query.dagId.map { entry.dagId == $0 } ?? true) && (query.taskId.map { entry.taskId == $0 } ?? true)
                    && (query.runId.map { entry.runId == $0 } ?? true) && (query.event.map { entry.event == $0 } ?? true)
                    && (query.owner.map { entry.owner == $0 } ?? true)
                    && (query.before.map { entry.when < $0 } ?? true) && (query.after.map { entry.when > $0 } ?? true)
            }
            let sorted = matching.sorted { a, b in
                let order = Self.compare(Self.sortKey(a, column), Self.sortKey(b, column))
                let result = order == .orderedSame ? a.id < b.id : order == .orderedAscending
                return descending ? !result : result
            }
            let page = sorted.dropFirst(max(0, query.offset))
            return (Array(query.limit.map { page.prefix(max(0, $0)) } ?? page), matching.count)
        }
    }

    /// A comparable value of an event log column (nil sorts first, as in SQLite).
    static func sortKey(_ entry: EventLogRecord, _ column: String) -> SortValue {
        switch column {
        case "dttm": .number(entry.when.timeIntervalSince1970)
        case "event": .text(entry.event)
        case "owner": entry.owner.map(SortValue.text) ?? .null
        case "dag_id": entry.dagId.map(SortValue.text) ?? .null
        case "run_id": entry.runId.map(SortValue.text) ?? .null
        case "task_id": entry.taskId.map(SortValue.text) ?? .null
        case "try_number": entry.tryNumber.map { .number(Double($0)) } ?? .null
        default: .number(Double(entry.id))
        }
    }

    public func deleteEventLogs(before date: Date) async throws -> Int {
        contents.withLock { c in
            let count = c.eventLog.count
            c.eventLog.removeAll { $0.when < date }
            return count - c.eventLog.count
        }
    }

    public func syncDAGVersions(_ hashes: [String: String], now: Date) async throws -> [String: DAGVersionRecord] {
        contents.withLock { c in
            var latest: [String: DAGVersionRecord] = [:]
            for (dagId, hash) in hashes {
                let versions = c.versions[dagId] ?? []
                if let last = versions.last, last.structureHash == hash { latest[dagId] = last; continue }
                let version = DAGVersionRecord(
                    id: UUID().uuidString.lowercased(), dagId: dagId, versionNumber: (versions.last?.versionNumber ?? 0) + 1,
                    structureHash: hash, createdAt: now)
                c.versions[dagId, default: []].append(version)
                latest[dagId] = version
            }
            return latest
        }
    }

    public func dagVersions(dagId: String) async throws -> [DAGVersionRecord] {
        contents.withLock { $0.versions[dagId] ?? [] }
    }

    public func dagVersion(id: String) async throws -> DAGVersionRecord? {
        contents.withLock { c in c.versions.values.lazy.flatMap { $0 }.first { $0.id == id } }
    }

    public func deletePool(_ name: String) async throws -> Bool {
        contents.withLock { $0.pools.removeValue(forKey: name) != nil }
    }

    public func setRunNote(_ key: RunKey, note: String?) async throws {
        try contents.withLock { c in
            guard c.runs[key] != nil else { throw StoreError.unknownRun(key) }
            c.runs[key]!.note = note
        }
    }

    public func xcoms(run: RunKey, taskId: String?) async throws -> [XComRecord] {
        contents.withLock { c in
            let queued = c.runs[run]?.queuedAt ?? Date(timeIntervalSince1970: 0)
            return c.xcoms.filter { $0.key.run == run && (taskId == nil || $0.key.taskId == taskId) }
                .flatMap { key, values in
                    let instance = c.instances[run]?[key.taskId]
                    let timestamp = instance?.endDate ?? instance?.startDate ?? queued
                    return values.map {
                        XComRecord(
                            dagId: run.dagId, runId: run.runId, taskId: key.taskId, key: $0.key, value: $0.value,
                            timestamp: timestamp)
                    }
                }
                .sorted { ($0.taskId, $0.key) < ($1.taskId, $1.key) }
        }
    }

    public func recordExternalAssetEvent(assetId: Int64, extra: [String: JSONValue], now: Date) async throws -> AssetEvent {
        try contents.withLock { c in
            guard let record = c.assets.values.first(where: { $0.id == assetId }) else {
                throw StoreError.unknownAsset(assetId)
            }
            let draft = AssetEventDraft(
                asset: record.asset, sourceRun: RunKey("", ""), sourceTaskId: "", timestamp: now, extra: extra)
            return c.append(draft, record: record)
        }
    }

    public func assetEvents(_ query: AssetEventQuery) async throws -> (events: [AssetEvent], total: Int) {
        let (field, _, descending) = try query.order()
        return contents.withLock { c in
            let matching = c.events.filter { event in
                (query.assetId.map { event.assetId == $0 } ?? true)
                    && (query.sourceDagId.map { event.sourceDagId == $0 } ?? true)
                    && (query.sourceTaskId.map { event.sourceTaskId == $0 } ?? true)
                    && (query.sourceRunId.map { event.sourceRunId == $0 } ?? true)
                    && (query.timestampGte.map { event.timestamp >= $0 } ?? true)
                    && (query.timestampLte.map { event.timestamp <= $0 } ?? true)
            }
            let sorted = matching.sorted { a, b in
                let order = Self.compare(Self.sortKey(a, field), Self.sortKey(b, field))
                let result = order == .orderedSame ? a.id < b.id : order == .orderedAscending
                return descending ? !result : result
            }
            let page = sorted.dropFirst(max(0, query.offset))
            return (Array(query.limit.map { page.prefix(max(0, $0)) } ?? page), matching.count)
        }
    }

    static func sortKey(_ event: AssetEvent, _ field: String) -> SortValue {
        switch field {
        case "timestamp": .number(event.timestamp.timeIntervalSince1970)
        case "asset_id": .number(Double(event.assetId))
        case "source_dag_id": .text(event.sourceDagId)
        case "source_run_id": .text(event.sourceRunId)
        case "source_task_id": .text(event.sourceTaskId)
        case "source_map_index": .number(Double(event.sourceMapIndex))
        default: .number(Double(event.id))
        }
    }

    /// A column's value for sorting as SQLite does: NULL first, then numbers, then text.
    enum SortValue { case null, number(Double), text(String) }

    static func compare(_ a: SortValue, _ b: SortValue) -> ComparisonResult {
        switch (a, b) {
        case (.null, .null): .orderedSame
        case (.null, _): .orderedAscending
        case (_, .null): .orderedDescending
        case (.number(let x), .number(let y)): x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        case (.text(let x), .text(let y)): x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        case (.number, .text): .orderedAscending
        case (.text, .number): .orderedDescending
        }
    }
}

extension RunQuery {
    /// Whether a run passes the query's filters (the memory store's twin of its SQL).
    public func matches(_ run: DAGRun) -> Bool {
        func within(_ date: Date?, _ low: Date?, _ high: Date?) -> Bool {
            if low == nil && high == nil { return true }
            guard let date else { return false }
            return (low.map { date >= $0 } ?? true) && (high.map { date <= $0 } ?? true)
        }
        return (dagId == nil || run.dagId == dagId) && (runId == nil || run.runId == runId)
            && (states?.contains(run.state) ?? true) && (runTypes?.contains(run.runType) ?? true)
            && within(run.logicalDate, logicalDateGte, logicalDateLte)
            && within(run.startDate, startDateGte, startDateLte) && within(run.endDate, endDateGte, endDateLte)
            && within(run.runAfter, runAfterGte, runAfterLte)
            && (runIdPattern.map { LikePattern($0).matches(run.runId) } ?? true)
            && (backfillId == nil || run.backfillId == backfillId) && (logicalDates?.contains(run.logicalDate) ?? true)
    }
}

extension RunOrder {
    /// Whether the run at creation position `a.0` comes before `b.0` (the memory store's twin of
    /// `ORDER BY <field>, id`, in the same direction).
    func orders(_ a: (Int, DAGRun), before b: (Int, DAGRun)) -> Bool {
        let order = MemoryStateStore.compare(value(a), value(b))
        let ascending = order == .orderedSame ? a.0 < b.0 : order == .orderedAscending
        return descending ? !ascending : ascending
    }

    private func value(_ entry: (Int, DAGRun)) -> MemoryStateStore.SortValue {
        let run = entry.1
        func date(_ date: Date?) -> MemoryStateStore.SortValue { date.map { .number($0.timeIntervalSince1970) } ?? .null }
        return switch field {
        case .id: .number(Double(entry.0))
        case .runId: .text(run.runId)
        case .state: .text(run.state.rawValue)
        case .dagId: .text(run.dagId)
        case .logicalDate: date(run.logicalDate)
        case .runAfter, .queuedAt: date(run.queuedAt)
        case .startDate: date(run.startDate)
        case .endDate: date(run.endDate)
        }
    }
}
