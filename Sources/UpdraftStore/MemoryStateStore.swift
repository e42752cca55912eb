import Foundation
import UpdraftCore

/// The state store in memory, for tests and `tasks test`; behaves like `SQLiteStateStore`.
public final class MemoryStateStore: StateStore, XComReading, SettingsReading {
    struct Contents {
        var dags: [String: DAGEntry] = [:]
        var runs: [RunKey: DAGRun] = [:]
        var runOrder: [RunKey] = []
        var instances: [RunKey: [String: TaskInstance]] = [:]
        var tries: [TaskKey: [TaskTry]] = [:]
        var xcoms: [TaskKey: [String: [UInt8]]] = [:]
        var factoryInputs: [RunKey: [String: [UInt8]]] = [:]
        var pools: [String: PoolRecord] = [PoolRecord.defaultPool.name: .defaultPool]
        var leases: [RunKey: RunLease] = [:]
        var fences: [RunKey: Int64] = [:]
        var schedulers: [ProcessIdentity] = []
        var assets: [String: AssetRecord] = [:]
        var events: [AssetEvent] = []
        var queue: [String: [Int64]] = [:]
        var consumed: [RunKey: [Int64]] = [:]
        var backfills: [BackfillRecord] = []
        var users: [String: UserRecord] = [:]
        var signingKey: [UInt8]?
        var variables: [String: VariableRecord] = [:]
        var connections: [String: ConnectionRecord] = [:]
        var eventLog: [EventLogRecord] = []
        var nextEventLogId: Int64 = 1
        var versions: [String: [DAGVersionRecord]] = [:]
        var outbox = Outbox()
        var taskQueue: [TryKey: QueuedTryRecord] = [:]
        var lastClaimToken: Int64 = 0
        var workers: [String: WorkerRecord] = [:]
        var logChunks: [TryKey: [Int64: [UInt8]]] = [:]

        /// Forgets one run and everything of it.
        mutating func delete(_ key: RunKey) {
            runs[key] = nil
            runOrder.removeAll { $0 == key }
            instances[key] = nil
            factoryInputs[key] = nil
            leases[key] = nil
            fences[key] = nil
            consumed[key] = nil
            for task in tries.keys where task.run == key { tries[task] = nil }
            for task in xcoms.keys where task.run == key { xcoms[task] = nil }
            for entry in taskQueue.keys where RunKey(entry.dagId, entry.runId) == key { taskQueue[entry] = nil }
            for entry in logChunks.keys where RunKey(entry.dagId, entry.runId) == key { logChunks[entry] = nil }
        }

        /// Records an asset event and queues it for the DAGs scheduled on its asset.
        mutating func append(_ draft: AssetEventDraft, record: AssetRecord) -> AssetEvent {
            let event = AssetEvent(
                id: Int64(events.count + 1), assetId: record.id, assetName: record.asset.name,
                assetURI: record.asset.uri, sourceDagId: draft.sourceRun.dagId,
                sourceRunId: draft.sourceRun.runId, sourceTaskId: draft.sourceTaskId,
                sourceMapIndex: draft.sourceMapIndex, timestamp: draft.timestamp, extra: draft.extra)
            events.append(event)
            for dag in record.consumingDAGs { queue[dag, default: []].append(event.id) }
            return event
        }

        /// Queues tries; a try already queued keeps its row.
        mutating func enqueue(_ entries: [QueuedTry]) {
            for entry in entries where taskQueue[entry.key] == nil {
                taskQueue[entry.key] = QueuedTryRecord(entry: entry, state: .queued)
            }
        }

        func checkFence(_ token: LeaseToken) throws {
            guard let lease = leases[token.run], lease.owner == token.owner, lease.fencingToken == token.fencingToken else {
                throw StoreError.leaseLost(token.run, token.owner)
            }
        }

        mutating func record(_ asset: Asset, now: Date) -> AssetRecord {
            if var record = assets[asset.uri] {
                if record.asset != asset { record.asset = asset; record.updatedAt = now; assets[asset.uri] = record }
                return record
            }
            let record = AssetRecord(id: Int64(assets.count + 1), asset: asset, createdAt: now, updatedAt: now)
            assets[asset.uri] = record
            return record
        }
    }

    let contents = Locked(Contents())

    public init() {}

    public func syncDAGs(_ dags: [DAGEntry]) async throws {
        contents.withLock { c in
            for dag in dags where c.dags[dag.dagId] == nil {
                c.dags[dag.dagId] = DAGEntry(dagId: dag.dagId, isPaused: dag.isPaused)
            }
        }
    }

    public func dagEntries() async throws -> [DAGEntry] {
        contents.withLock { c in c.dags.values.sorted { $0.dagId < $1.dagId } }
    }

    public func setPaused(_ dagId: String, _ paused: Bool) async throws -> Bool {
        contents.withLock { c in
            guard c.dags[dagId] != nil else { return false }
            c.dags[dagId]!.isPaused = paused
            return true
        }
    }

    public func setLastScheduledInterval(_ dagId: String, _ interval: DataInterval) async throws {
        contents.withLock { c in
            guard let entry = c.dags[dagId] else { return }
            if let last = entry.lastScheduledInterval, last.start >= interval.start { return }
            c.dags[dagId]!.lastScheduledInterval = interval
        }
    }

    public func createRun(_ run: DAGRun, instances: [TaskInstance], consumedEvents: [Int64]) async throws {
        try contents.withLock { c in
            if c.runs[run.key] != nil { throw StoreError.duplicateRun(run.key) }
            c.runs[run.key] = run
            if !consumedEvents.isEmpty {
                c.consumed[run.key, default: []] += consumedEvents
                c.queue[run.dagId]?.removeAll { consumedEvents.contains($0) }
            }
            c.runOrder.append(run.key)
            c.instances[run.key] = Dictionary(instances.map { ($0.taskId, $0) }, uniquingKeysWith: { $1 })
        }
    }

    public func run(_ key: RunKey) async throws -> DAGRun? { contents.withLock { $0.runs[key] } }

    public func runs(_ query: RunQuery) async throws -> [DAGRun] {
        contents.withLock { c in
            let matching = c.runOrder.enumerated().compactMap { position, key in
                c.runs[key].flatMap { query.matches($0) ? (position, $0) : nil }
            }
            let sorted = matching.sorted { query.orderBy.orders($0, before: $1) }.map(\.1)
            let page = sorted.dropFirst(max(0, query.offset))
            return Array(query.limit.map { page.prefix(max(0, $0)) } ?? page)
        }
    }

    public func countRuns(_ query: RunQuery) async throws -> Int {
        contents.withLock { c in c.runs.values.filter { query.matches($0) }.count }
    }

    public func taskInstances(run: RunKey) async throws -> [TaskInstance] {
        contents.withLock { c in (c.instances[run] ?? [:]).values.sorted { $0.taskId < $1.taskId } }
    }

    public func taskInstance(run: RunKey, taskId: String) async throws -> TaskInstance? {
        contents.withLock { $0.instances[run]?[taskId] }
    }

    public func tries(run: RunKey, taskId: String) async throws -> [TaskTry] {
        contents.withLock { $0.tries[TaskKey(run, taskId)] ?? [] }
    }

    public func xcom(run: RunKey, taskId: String, key: String) async throws -> [UInt8]? {
        contents.withLock { $0.xcoms[TaskKey(run, taskId)]?[key] }
    }

    public func readXCom(run: RunKey, taskId: String, key: String) throws -> [UInt8]? {
        contents.withLock { $0.xcoms[TaskKey(run, taskId)]?[key] }
    }

    public func factoryInputs(run: RunKey) async throws -> [String: [UInt8]] {
        contents.withLock { $0.factoryInputs[run] ?? [:] }
    }

    public func commit(_ batch: StateBatch) async throws {
        guard !batch.isEmpty else { return }
        try contents.withLock { c in
            if let fence = batch.fence { try c.checkFence(fence) }
            for draft in batch.assetEvents { _ = c.append(draft, record: c.record(draft.asset, now: draft.timestamp)) }
            for run in batch.runs {
                var updated = run
                if let stored = c.runs[run.key] {
                    // As SQLite's upsert: what is set at creation (or by `setRunNote`) stays.
                    updated.note = stored.note; updated.triggeringUserName = stored.triggeringUserName
                    updated.dagVersionId = stored.dagVersionId
                    updated.backfillId = run.backfillId ?? stored.backfillId  // never lost, as in SQLite
                } else {
                    c.runOrder.append(run.key)
                }
                c.runs[run.key] = updated
            }
            for key in batch.clearedXComs { c.xcoms[key] = nil }
            for instance in batch.instances { c.instances[instance.runKey, default: [:]][instance.taskId] = instance }
            for entry in batch.tries {
                let key = TaskKey(RunKey(entry.dagId, entry.runId), entry.taskId)
                var list = c.tries[key] ?? []
                list.removeAll { $0.tryNumber == entry.tryNumber }
                list.append(entry)
                list.sort { $0.tryNumber < $1.tryNumber }
                c.tries[key] = list
            }
            for entry in batch.xcoms { c.xcoms[TaskKey(entry.run, entry.taskId), default: [:]][entry.key] = entry.value }
            for entry in batch.factoryInputs { c.factoryInputs[entry.run, default: [:]][entry.factoryId] = entry.input }
            for draft in batch.notifications { c.outbox.enqueue(draft) }
            c.outbox.release(batch.releasedNotifications)
            c.enqueue(batch.queuedTries)
        }
    }

    public func pools() async throws -> [PoolRecord] {
        contents.withLock { $0.pools.values.sorted { $0.name < $1.name } }
    }

    public func setPool(_ pool: PoolRecord) async throws {
        contents.withLock { c in
            var updated = pool
            if updated.description.isEmpty { updated.description = c.pools[pool.name]?.description ?? "" }
            c.pools[pool.name] = updated
        }
    }

    public func acquireLease(
        run: RunKey, owner: ProcessIdentity, now: Date, timeout: TimeInterval,
        isAlive: @Sendable (ProcessIdentity) -> Bool
    ) async throws -> LeaseOutcome {
        contents.withLock { c in
            var previous: ProcessIdentity?
            if var current = c.leases[run] {
                if current.owner == owner {
                    current.heartbeatAt = now
                    current.expiresAt = now.addingTimeInterval(timeout)
                    c.leases[run] = current
                    return .acquired(current.token, previousOwner: nil)
                }
                if current.expiresAt >= now, isAlive(current.owner) { return .heldBy(current.owner) }
                previous = current.owner
            }
            let token = (c.fences[run] ?? 0) + 1
            c.fences[run] = token
            let lease = RunLease(
                run: run, owner: owner, acquiredAt: now, heartbeatAt: now,
                expiresAt: now.addingTimeInterval(timeout), fencingToken: token)
            c.leases[run] = lease
            return .acquired(lease.token, previousOwner: previous)
        }
    }

    public func renewLease(_ token: LeaseToken, now: Date, timeout: TimeInterval) async throws {
        try contents.withLock { c in
            try c.checkFence(token)
            c.leases[token.run]!.heartbeatAt = now
            c.leases[token.run]!.expiresAt = now.addingTimeInterval(timeout)
        }
    }

    public func releaseLease(_ token: LeaseToken) async throws {
        try contents.withLock { c in
            try c.checkFence(token)
            c.leases[token.run] = nil
        }
    }

    public func leases() async throws -> [RunLease] { contents.withLock { Array($0.leases.values) } }

    public func registerScheduler(_ owner: ProcessIdentity, now: Date) async throws {
        contents.withLock { c in if !c.schedulers.contains(owner) { c.schedulers.append(owner) } }
    }

    public func unregisterScheduler(_ owner: ProcessIdentity) async throws {
        contents.withLock { c in c.schedulers.removeAll { $0 == owner } }
    }

    public func schedulers() async throws -> [ProcessIdentity] { contents.withLock { $0.schedulers } }

    public func deleteRuns(endedBefore date: Date) async throws -> [DAGRun] {
        contents.withLock { c in
            let old = c.runs.values.filter { $0.state.isTerminal && ($0.endDate.map { $0 < date } ?? false) }
            for run in old { c.delete(run.key) }
            return old.sorted { $0.runId < $1.runId }
        }
    }

    public func deleteRun(_ key: RunKey) async throws -> Bool {
        contents.withLock { c in
            guard c.runs[key] != nil else { return false }
            c.delete(key)
            return true
        }
    }
}

extension MemoryStateStore {
    public func syncAssets(_ references: AssetReferences, now: Date) async throws {
        contents.withLock { c in
            for asset in references.assets { _ = c.record(asset, now: now) }
            for uri in c.assets.keys {
                c.assets[uri]!.consumingDAGs = (references.consumers[uri] ?? []).sorted()
                c.assets[uri]!.producingTasks = (references.producers[uri] ?? [])
                    .sorted { ($0.dagId, $0.taskId) < ($1.dagId, $1.taskId) }
            }
        }
    }

    public func assets() async throws -> [AssetRecord] {
        contents.withLock { c in
            c.assets.values.sorted { $0.asset.name < $1.asset.name }.map { record in
                var record = record
                record.lastEvent = c.events.last { $0.assetId == record.id }
                return record
            }
        }
    }

    public func queuedAssetEvents(dagId: String) async throws -> [AssetEvent] {
        contents.withLock { c in (c.queue[dagId] ?? []).sorted().map { c.events[Int($0) - 1] } }
    }

    public func assetEvents(consumedBy run: RunKey) async throws -> [AssetEvent] {
        contents.withLock { c in (c.consumed[run] ?? []).sorted().map { c.events[Int($0) - 1] } }
    }

    public func assetEvents(producedBy run: RunKey) async throws -> [AssetEvent] {
        contents.withLock { c in c.events.filter { $0.sourceRun == run } }
    }

    public func runsConsuming(events: [Int64]) async throws -> [RunKey] {
        let wanted = Set(events)
        return contents.withLock { c in
            c.consumed.filter { !wanted.isDisjoint(with: $0.value) }.keys
                .sorted { ($0.dagId, $0.runId) < ($1.dagId, $1.runId) }
        }
    }
}
