import Foundation
import UpdraftCore

/// Durable state of DAGs, runs, task instances, tries, XCom, pools, run leases and assets, and of
/// what the REST API manages: users, variables, connections, the audit log and DAG versions.
///
/// Every method is `async` so that a networked backend (PostgreSQL) fits without reshaping;
/// the SQLite implementation does not suspend (a GRDB write on the calling thread), so the
/// hot path pays no thread hop. Nothing here reads the clock: callers pass `now`.
/// Two implementations share one test suite: `SQLiteStateStore` (GRDB, WAL) and
/// `MemoryStateStore`. Writes that belong together go through `commit(_:)` in one transaction.
///
/// ```swift
/// let store: any StateStore = try SQLiteStateStore(path: "runs/updraft.db")
/// try await store.commit(batch)
/// ```
public protocol StateStore: NotificationOutbox, TaskQueueStore, Sendable {
    /// Records DAGs the store has not seen (paused as declared); known DAGs keep their flag.
    func syncDAGs(_ dags: [DAGEntry]) async throws
    func dagEntries() async throws -> [DAGEntry]
    /// Sets the paused flag; false when the DAG is unknown to the store.
    @discardableResult func setPaused(_ dagId: String, _ paused: Bool) async throws -> Bool
    /// Records the data interval of the DAG's latest scheduled run in the DAG's row (kept when
    /// retention deletes runs, so the scheduler never runs an interval twice); an earlier
    /// interval than the one stored is ignored.
    func setLastScheduledInterval(_ dagId: String, _ interval: DataInterval) async throws

    /// Creates a run and its initial task instances, and records it as the consumer of
    /// `consumedEvents` (taken off the DAG's asset queue); throws `StoreError.duplicateRun` when
    /// the DAG already has a run with that id.
    func createRun(_ run: DAGRun, instances: [TaskInstance], consumedEvents: [Int64]) async throws
    func run(_ key: RunKey) async throws -> DAGRun?
    /// Runs matching the query, newest logical date first.
    func runs(_ query: RunQuery) async throws -> [DAGRun]

    func taskInstances(run: RunKey) async throws -> [TaskInstance]
    func taskInstance(run: RunKey, taskId: String) async throws -> TaskInstance?
    /// Finished tries of one task, oldest first.
    func tries(run: RunKey, taskId: String) async throws -> [TaskTry]
    func xcom(run: RunKey, taskId: String, key: String) async throws -> [UInt8]?
    /// Stored factory inputs of a run by factory id.
    func factoryInputs(run: RunKey) async throws -> [String: [UInt8]]

    /// Applies every write of the batch in one transaction (group commit). When the batch has a
    /// `fence`, throws `StoreError.leaseLost` (writing nothing) unless the token still holds the lease.
    func commit(_ batch: StateBatch) async throws

    func pools() async throws -> [PoolRecord]
    func setPool(_ pool: PoolRecord) async throws

    /// Takes the run's lease when it is free, its owner is dead (`isAlive`, local processes only)
    /// or its heartbeat expired (`expiresAt < now`); a new holder gets the next fencing token.
    /// The holder asking again renews it and keeps its token.
    func acquireLease(
        run: RunKey, owner: ProcessIdentity, now: Date, timeout: TimeInterval,
        isAlive: @Sendable (ProcessIdentity) -> Bool
    ) async throws -> LeaseOutcome
    /// Moves the heartbeat to `now` and the expiry to `now + timeout`; throws `leaseLost` when
    /// the token no longer holds the lease.
    func renewLease(_ token: LeaseToken, now: Date, timeout: TimeInterval) async throws
    /// Gives the lease up; throws `leaseLost` when the token no longer holds it.
    func releaseLease(_ token: LeaseToken) async throws
    func leases() async throws -> [RunLease]

    /// Registers a scheduler process (so others can tell one is alive).
    func registerScheduler(_ owner: ProcessIdentity, now: Date) async throws
    func unregisterScheduler(_ owner: ProcessIdentity) async throws
    func schedulers() async throws -> [ProcessIdentity]

    /// Deletes finished runs that ended before `date` with their tasks, tries and XCom.
    func deleteRuns(endedBefore date: Date) async throws -> [DAGRun]

    /// Records the assets DAGs declare (new ones get an id) and replaces who consumes and produces them.
    func syncAssets(_ references: AssetReferences, now: Date) async throws
    /// Every known asset with its consumers, producers and newest event, by name.
    func assets() async throws -> [AssetRecord]
    /// Events queued for a DAG scheduled on assets and not consumed by a run yet, oldest first.
    func queuedAssetEvents(dagId: String) async throws -> [AssetEvent]
    /// Events a run consumed, oldest first.
    func assetEvents(consumedBy run: RunKey) async throws -> [AssetEvent]
    /// Events a run's tasks produced, oldest first.
    func assetEvents(producedBy run: RunKey) async throws -> [AssetEvent]
    /// Runs that consumed any of these events.
    func runsConsuming(events: [Int64]) async throws -> [RunKey]

    // MARK: REST API entities

    /// Every user, by username.
    func users() async throws -> [UserRecord]
    func user(_ username: String) async throws -> UserRecord?
    /// Inserts the user or replaces the one with its username.
    func saveUser(_ user: UserRecord) async throws
    /// False when there was no such user.
    func deleteUser(_ username: String) async throws -> Bool
    /// The API's JWT signing key: returns the stored one, or stores `candidate` if none exists yet
    /// (atomic; two processes agree).
    func signingKey(orStore candidate: [UInt8]) async throws -> [UInt8]

    /// Every variable, by key.
    func variables() async throws -> [VariableRecord]
    func variable(_ key: String) async throws -> VariableRecord?
    /// Inserts the variable or replaces the one with its key.
    func saveVariable(_ v: VariableRecord) async throws
    /// False when there was no such variable.
    func deleteVariable(_ key: String) async throws -> Bool

    /// Every connection, by id.
    func connections() async throws -> [ConnectionRecord]
    func connection(_ id: String) async throws -> ConnectionRecord?
    /// Inserts the connection or replaces the one with its id.
    func saveConnection(_ c: ConnectionRecord) async throws
    /// False when there was no such connection.
    func deleteConnection(_ id: String) async throws -> Bool

    /// Appends an entry to the audit log; returns its id (the record's `id` is ignored).
    @discardableResult func recordEvent(_ event: EventLogRecord) async throws -> Int64
    /// One page of the audit log and the number of entries the filters match.
    func eventLogs(_ query: EventLogQuery) async throws -> (records: [EventLogRecord], total: Int)
    /// Deletes audit log entries written before `date`; returns how many.
    func deleteEventLogs(before date: Date) async throws -> Int

    /// Records a new version for each DAG whose structure hash differs from its latest one
    /// (version 1 for a new DAG); returns the latest version of every given DAG.
    func syncDAGVersions(_ hashes: [String: String], now: Date) async throws -> [String: DAGVersionRecord]
    /// The DAG's versions, oldest (version 1) first.
    func dagVersions(dagId: String) async throws -> [DAGVersionRecord]
    func dagVersion(id: String) async throws -> DAGVersionRecord?

    /// Deletes one run with its task instances, tries, XComs, lease and consumed events; false
    /// when there was no such run.
    func deleteRun(_ key: RunKey) async throws -> Bool
    /// Deletes a pool; false when there was no such pool.
    func deletePool(_ name: String) async throws -> Bool
    /// Sets or (with nil) removes a run's note; throws `unknownRun` for a run the store does not have.
    func setRunNote(_ key: RunKey, note: String?) async throws
    /// The run's XCom values (of one task when `taskId` is set), by task id then key. The timestamp
    /// is when the pushing try ended (its start, else the run's queue time, while it runs).
    func xcoms(run: RunKey, taskId: String?) async throws -> [XComRecord]
    /// How many runs match the query's filters (its limit and offset ignored).
    func countRuns(_ query: RunQuery) async throws -> Int

    /// The state counts of the rows of `runIds` (runs of DAG `dagId`) when the direct children of
    /// `group` (nil: the top level) are shown: child groups rolled up (all of them), and tasks one
    /// by one (the first `taskLimit` by id; `moreTasks` says whether there are others).
    func gridCounts(dagId: String, runIds: [String], within group: String?, taskLimit: Int) async throws -> GridCounts
    /// A value that changes whenever the store changes, in this process or another (for live
    /// pages to know when to look again); only equality between two readings means anything.
    func changeStamp() async throws -> Int64
    /// One page of runs and how many match in all, read together (one snapshot).
    func runsPage(_ query: RunQuery) async throws -> (runs: [DAGRun], total: Int)
    /// Records an asset event from outside any run (Airflow's `POST /assets/events`); queues it for
    /// consuming DAGs exactly as a task's event would be. Its source DAG, run and task ids are empty.
    /// Throws `unknownAsset` for an id the store does not have.
    func recordExternalAssetEvent(assetId: Int64, extra: [String: JSONValue], now: Date) async throws -> AssetEvent
    /// One page of asset events and the number of events the filters match.
    func assetEvents(_ query: AssetEventQuery) async throws -> (events: [AssetEvent], total: Int)

    // MARK: Backfills (Airflow 3's `backfill` table; runs carry `backfillId`)

    /// Records a backfill and returns it with its new id (the `id` passed is ignored); throws
    /// `StoreError.activeBackfill` when the DAG already has one that is not completed.
    func createBackfill(_ backfill: BackfillRecord) async throws -> BackfillRecord
    func backfill(id: Int64) async throws -> BackfillRecord?
    /// Backfills of one DAG (or all), only those not completed when `activeOnly`, by id.
    func backfills(dagId: String?, activeOnly: Bool) async throws -> [BackfillRecord]
    /// Saves a backfill's row (pause, completion, cancellation); throws `StoreError.unknownBackfill`
    /// when no row has its id.
    func updateBackfill(_ backfill: BackfillRecord) async throws
}

/// Synchronous XCom reads for a try's `ctx.xcom`, which task bodies call without `await`
/// (a worker reads the SQLite file; an in-process run reads the memory store).
public protocol XComReading: Sendable {
    func readXCom(run: RunKey, taskId: String, key: String) throws -> [UInt8]?
}

/// Synchronous reads of variables and connections for a try's `ctx.variable` and `ctx.connection`,
/// which task bodies call without `await` (as `XComReading` for XCom).
public protocol SettingsReading: Sendable {
    func readVariable(_ key: String) throws -> VariableRecord?
    func readConnection(_ id: String) throws -> ConnectionRecord?
}

extension StateStore {
    /// Creates a run that consumes no asset event.
    public func createRun(_ run: DAGRun, instances: [TaskInstance]) async throws {
        try await createRun(run, instances: instances, consumedEvents: [])
    }
}

/// Writes committed together.
public struct StateBatch: Sendable {
    public var runs: [DAGRun] = []
    public var instances: [TaskInstance] = []
    public var tries: [TaskTry] = []
    public var xcoms: [XComEntry] = []
    public var factoryInputs: [FactoryInput] = []
    /// XCom of these (run, task) pairs is deleted first (a cleared or retried task starts clean).
    public var clearedXComs: [TaskKey] = []
    /// Asset events of tasks that succeeded in this batch.
    public var assetEvents: [AssetEventDraft] = []
    /// Messages for the outbox (deduped by key and channel, grouped while waiting).
    public var notifications: [NotificationDraft] = []
    /// Runs that ended: their waiting messages are due at once, the grouping window over.
    public var releasedNotifications: [RunKey] = []
    /// Tries handed to remote workers: queued in the same commit as their `running` state, so
    /// that a try is on the task queue exactly when the store says it runs (a try already queued
    /// keeps its row, as in `enqueueTries`).
    public var queuedTries: [QueuedTry] = []
    /// The lease the writer holds; the commit fails with `leaseLost` when it no longer does.
    public var fence: LeaseToken?

    public init() {}

    public var isEmpty: Bool {
        runs.isEmpty && instances.isEmpty && tries.isEmpty && xcoms.isEmpty && factoryInputs.isEmpty
            && clearedXComs.isEmpty && assetEvents.isEmpty && notifications.isEmpty && releasedNotifications.isEmpty
            && queuedTries.isEmpty
    }

    /// Instance writes with only the last write of each task kept.
    public var latestInstances: [TaskInstance] {
        guard let first = instances.first, instances.count > 1 else { return instances }
        // One run (a driver's batch): the task id alone is the key, far cheaper to hash.
        if instances.allSatisfy({ $0.runId == first.runId && $0.dagId == first.dagId }) { return lastOfEach(\.taskId) }
        return lastOfEach { TaskKey($0.runKey, $0.taskId) }
    }

    /// The last write of each `key`, in the order of those writes.
    private func lastOfEach<Key: Hashable>(_ key: (TaskInstance) -> Key) -> [TaskInstance] {
        var seen = Set<Key>(minimumCapacity: instances.count)
        return Array(instances.reversed().filter { seen.insert(key($0)).inserted }.reversed())
    }
}

/// A (run, task) pair.
public struct TaskKey: Sendable, Hashable {
    public var run: RunKey
    public var taskId: String
    public init(_ run: RunKey, _ taskId: String) { self.run = run; self.taskId = taskId }
}

/// One XCom value.
public struct XComEntry: Sendable, Hashable {
    public var run: RunKey
    public var taskId: String
    public var key: String
    public var value: [UInt8]
    public init(run: RunKey, taskId: String, key: String, value: [UInt8]) {
        self.run = run; self.taskId = taskId; self.key = key; self.value = value
    }
}

/// The stored input of one factory expansion.
public struct FactoryInput: Sendable, Hashable {
    public var run: RunKey
    public var factoryId: String
    public var input: [UInt8]
    public init(run: RunKey, factoryId: String, input: [UInt8]) {
        self.run = run; self.factoryId = factoryId; self.input = input
    }
}

extension StateStore {
    /// Two reads; a store that can read both at once (SQLite) does so.
    public func runsPage(_ query: RunQuery) async throws -> (runs: [DAGRun], total: Int) {
        (try await runs(query), try await countRuns(query))
    }
}
