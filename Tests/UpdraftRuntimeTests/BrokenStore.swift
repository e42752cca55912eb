import Foundation
import UpdraftRuntime
import UpdraftStore

/// A `MemoryStateStore` whose commits and lease releases fail while `broken` is set, as they do
/// when the disk fills during a run.
final class BrokenStore: StateStore {
    struct DiskFull: Error, CustomStringConvertible { var description: String { "database or disk is full" } }

    let inner = MemoryStateStore()
    private let state = Locked((broken: false, failures: 0, brokenReads: false, brokenListing: false))

    /// Whether reading the DAG entries (the first read of a scheduling pass) fails now.
    var brokenListing: Bool {
        get { state.withLock { $0.brokenListing } }
        set { state.withLock { $0.brokenListing = newValue } }
    }

    /// Whether XCom reads fail now.
    var brokenReads: Bool {
        get { state.withLock { $0.brokenReads } }
        set { state.withLock { $0.brokenReads = newValue } }
    }

    /// Whether commits and lease releases fail now.
    var broken: Bool {
        get { state.withLock { $0.broken } }
        set { state.withLock { $0.broken = newValue } }
    }

    /// How many writes failed so far.
    var failures: Int { state.withLock { $0.failures } }

    private func write<T>(_ body: () throws -> T) throws -> T {
        try state.withLock { s in
            if s.broken { s.failures += 1; throw DiskFull() }
        }
        return try body()
    }

    func syncDAGs(_ dags: [DAGEntry]) async throws { try await inner.syncDAGs(dags) }
    func enqueueNotifications(_ drafts: [NotificationDraft]) async throws { try write {}; try await inner.enqueueNotifications(drafts) }
    func claimNotifications(owner: String, now: Date, limit: Int, lease: TimeInterval) async throws -> [NotificationRecord] {
        try write {}
        return try await inner.claimNotifications(owner: owner, now: now, limit: limit, lease: lease)
    }
    func recordNotificationAttempt(id: Int64, owner: String, at: Date, outcome: NotificationAttemptOutcome) async throws -> Bool {
        try write {}
        return try await inner.recordNotificationAttempt(id: id, owner: owner, at: at, outcome: outcome)
    }
    func postponeNotification(id: Int64, owner: String, until: Date) async throws {
        try write {}
        try await inner.postponeNotification(id: id, owner: owner, until: until)
    }
    func notificationAttemptCount(channel: String, since date: Date) async throws -> Int {
        try await inner.notificationAttemptCount(channel: channel, since: date)
    }
    func notifications(_ query: NotificationQuery) async throws -> [NotificationRecord] { try await inner.notifications(query) }
    func notificationAttempts(id: Int64) async throws -> [NotificationAttempt] { try await inner.notificationAttempts(id: id) }
    func deleteNotifications(before date: Date) async throws -> Int {
        try write {}; return try await inner.deleteNotifications(before: date)
    }
    func gridCounts(dagId: String, runIds: [String], within group: String?, taskLimit: Int) async throws -> GridCounts {
        try await inner.gridCounts(dagId: dagId, runIds: runIds, within: group, taskLimit: taskLimit)
    }
    func changeStamp() async throws -> Int64 { try await inner.changeStamp() }
    func dagEntries() async throws -> [DAGEntry] {
        try state.withLock { s in
            if s.brokenListing { s.failures += 1; throw DiskFull() }
        }
        return try await inner.dagEntries()
    }
    func setPaused(_ dagId: String, _ paused: Bool) async throws -> Bool { try await inner.setPaused(dagId, paused) }
    func setLastScheduledInterval(_ dagId: String, _ interval: DataInterval) async throws {
        try await inner.setLastScheduledInterval(dagId, interval)
    }
    func createRun(_ run: DAGRun, instances: [TaskInstance], consumedEvents: [Int64]) async throws {
        try await inner.createRun(run, instances: instances, consumedEvents: consumedEvents)
    }
    func run(_ key: RunKey) async throws -> DAGRun? { try await inner.run(key) }
    func runs(_ query: RunQuery) async throws -> [DAGRun] { try await inner.runs(query) }
    func taskInstances(run: RunKey) async throws -> [TaskInstance] { try await inner.taskInstances(run: run) }
    func taskInstance(run: RunKey, taskId: String) async throws -> TaskInstance? {
        try await inner.taskInstance(run: run, taskId: taskId)
    }
    func tries(run: RunKey, taskId: String) async throws -> [TaskTry] { try await inner.tries(run: run, taskId: taskId) }
    func xcom(run: RunKey, taskId: String, key: String) async throws -> [UInt8]? {
        try await inner.xcom(run: run, taskId: taskId, key: key)
    }
    func factoryInputs(run: RunKey) async throws -> [String: [UInt8]] { try await inner.factoryInputs(run: run) }
    func commit(_ batch: StateBatch) async throws {
        try write {}
        try await inner.commit(batch)
    }
    func pools() async throws -> [PoolRecord] { try await inner.pools() }
    func setPool(_ pool: PoolRecord) async throws { try await inner.setPool(pool) }
    func acquireLease(
        run: RunKey, owner: ProcessIdentity, now: Date, timeout: TimeInterval,
        isAlive: @Sendable (ProcessIdentity) -> Bool
    ) async throws -> LeaseOutcome {
        try await inner.acquireLease(run: run, owner: owner, now: now, timeout: timeout, isAlive: isAlive)
    }
    func renewLease(_ token: LeaseToken, now: Date, timeout: TimeInterval) async throws {
        try await inner.renewLease(token, now: now, timeout: timeout)
    }
    func releaseLease(_ token: LeaseToken) async throws {
        try write {}
        try await inner.releaseLease(token)
    }
    func leases() async throws -> [RunLease] { try await inner.leases() }
    func registerScheduler(_ owner: ProcessIdentity, now: Date) async throws { try await inner.registerScheduler(owner, now: now) }
    func unregisterScheduler(_ owner: ProcessIdentity) async throws { try await inner.unregisterScheduler(owner) }
    func schedulers() async throws -> [ProcessIdentity] { try await inner.schedulers() }
    func deleteRuns(endedBefore date: Date) async throws -> [DAGRun] { try await inner.deleteRuns(endedBefore: date) }
    func syncAssets(_ references: AssetReferences, now: Date) async throws { try await inner.syncAssets(references, now: now) }
    func assets() async throws -> [AssetRecord] { try await inner.assets() }
    func queuedAssetEvents(dagId: String) async throws -> [AssetEvent] { try await inner.queuedAssetEvents(dagId: dagId) }
    func assetEvents(consumedBy run: RunKey) async throws -> [AssetEvent] { try await inner.assetEvents(consumedBy: run) }
    func assetEvents(producedBy run: RunKey) async throws -> [AssetEvent] { try await inner.assetEvents(producedBy: run) }
    func runsConsuming(events: [Int64]) async throws -> [RunKey] { try await inner.runsConsuming(events: events) }
    func createBackfill(_ backfill: BackfillRecord) async throws -> BackfillRecord {
        try write {}
        return try await inner.createBackfill(backfill)
    }
    func backfill(id: Int64) async throws -> BackfillRecord? { try await inner.backfill(id: id) }
    func backfills(dagId: String?, activeOnly: Bool) async throws -> [BackfillRecord] {
        try await inner.backfills(dagId: dagId, activeOnly: activeOnly)
    }
    func updateBackfill(_ backfill: BackfillRecord) async throws {
        try write {}
        try await inner.updateBackfill(backfill)
    }
}

extension BrokenStore: XComReading {
    func readXCom(run: RunKey, taskId: String, key: String) throws -> [UInt8]? {
        if brokenReads { throw DiskFull() }
        return try inner.readXCom(run: run, taskId: taskId, key: key)
    }

    // The task queue: plain forwarding (no test breaks it yet).
    func enqueueTries(_ entries: [QueuedTry]) async throws { try await inner.enqueueTries(entries) }
    func claimTries(
        worker: String, queues: [String], limit: Int, now: Date, timeout: TimeInterval
    ) async throws -> [(
        QueuedTry, TryClaim
    )] { try await inner.claimTries(worker: worker, queues: queues, limit: limit, now: now, timeout: timeout) }
    func renewClaims(_ claims: [TryClaim], now: Date, timeout: TimeInterval) async throws -> [TryClaim] {
        try await inner.renewClaims(claims, now: now, timeout: timeout)
    }
    func completeTries(_ results: [TryResult], now: Date) async throws -> Set<TryKey> {
        try await inner.completeTries(results, now: now)
    }
    func queuedTry(_ key: TryKey) async throws -> QueuedTryRecord? { try await inner.queuedTry(key) }
    func queuedTries(_ keys: [TryKey]) async throws -> [QueuedTryRecord] { try await inner.queuedTries(keys) }
    func queuedTries(state: QueuedTryState?) async throws -> [QueuedTryRecord] { try await inner.queuedTries(state: state) }
    func interruptTry(_ key: TryKey, reason: String, now: Date, force: Bool) async throws -> Bool {
        try await inner.interruptTry(key, reason: reason, now: now, force: force)
    }
    func pruneQueuedTries(finishedBefore date: Date) async throws -> Int { try await inner.pruneQueuedTries(finishedBefore: date) }
    func saveWorker(_ worker: WorkerRecord) async throws { try await inner.saveWorker(worker) }
    func removeWorker(id: String) async throws { try await inner.removeWorker(id: id) }
    func workers() async throws -> [WorkerRecord] { try await inner.workers() }
    func appendLogChunk(_ key: TryKey, offset: Int64, bytes: [UInt8]) async throws {
        try await inner.appendLogChunk(key, offset: offset, bytes: bytes)
    }
    func logChunks(_ key: TryKey, from offset: Int64) async throws -> [UInt8] { try await inner.logChunks(key, from: offset) }
}
