import Foundation
import UpdraftCore
import UpdraftStore

/// The engine: a registry of DAGs over a state store. Triggers runs, executes them as their
/// owner, and edits them (clear, mark, cancel). The CLI and the scheduler call this.
///
/// ```swift
/// let engine = try await Engine.open(home: EngineHome("runs"), registry: registry)
/// let run = try await engine.trigger(dagId: "etl", conf: ["limit": 10], triggeredBy: .cli)
/// let state = try await engine.execute(run.key, executor: executor)
/// ```
public struct Engine: Sendable {
    public let home: EngineHome
    public let store: any StateStore
    public let registry: DAGRegistry
    public let clock: any EngineClock
    /// The SQLite file workers read XCom from (nil for an in-memory store).
    public let storePath: String?
    /// A run's owner renews its lease every third of this; another process may take the run
    /// over once this long has passed without a heartbeat (default 30 s).
    public let leaseTimeout: TimeInterval
    /// Where the runs this process executes, its scheduler and its slot ledgers record their
    /// metrics (swift-metrics' no-op factory unless given).
    public var metrics: EngineMetrics
    /// Rules and channels of the engine's notifications: runs this process executes write their
    /// messages to the store's outbox (the scheduler sends them).
    public var notifications: NotificationSettings
    /// The latest version of each DAG as this process's code has it (`dagVersion(for:)`).
    let versions = Locked<[String: DAGVersionRecord]>([:])

    public init(
        home: EngineHome, store: any StateStore, registry: DAGRegistry, clock: any EngineClock = SystemClock(),
        storePath: String? = nil, leaseTimeout: TimeInterval = 30, metrics: EngineMetrics = EngineMetrics()
    ) {
        self.home = home; self.store = store; self.registry = registry; self.clock = clock; self.storePath = storePath
        self.leaseTimeout = leaseTimeout; self.metrics = metrics; self.notifications = NotificationSettings()
    }

    /// An engine over the state at `stateURL` (`state.url`): `<home>/updraft.db` when empty, a
    /// SQLite file, or a store one of `backends` opens (PostgreSQL). The home keeps the logs either way.
    /// Refuses (`stateDatabaseLost`) a home database that went missing or empty after it held state.
    public static func open(
        home: EngineHome, registry: DAGRegistry, stateURL: String = "", password: String? = nil,
        backends: [StoreBackend] = [], durableAcrossPowerLoss: Bool = false,
        leaseTimeout: TimeInterval = 30, metrics: EngineMetrics = EngineMetrics()
    ) async throws -> Engine {
        let location = try StoreBackend.location(of: stateURL, home: home.root)
        let inHome = location == .sqlite(path: home.databasePath)
        if inHome { try home.checkStateDatabase() }
        let store = try await StoreBackend.open(
            stateURL, password: password, home: home.root, backends: backends, durableAcrossPowerLoss: durableAcrossPowerLoss)
        let storePath: String? = if case .sqlite(let path) = location { path } else { nil }
        let engine = Engine(
            home: home, store: store, registry: registry, storePath: storePath,
            leaseTimeout: leaseTimeout, metrics: metrics)
        try await engine.syncDAGs()
        if inHome { try home.markStateDatabaseInUse(now: engine.clock.now) }
        return engine
    }

    /// Records registry DAGs the store has not seen yet, a new version of each whose structure
    /// changed, the assets they declare, and creates the pools they declare.
    public func syncDAGs() async throws {
        try await store.syncDAGs(registry.ids.map { DAGEntry(dagId: $0, isPaused: registry.dags[$0]!.isPausedAtCreation) })
        try await syncDAGVersions()
        let references = registry.assetReferences
        if !references.assets.isEmpty { try await store.syncAssets(references, now: clock.now) }
        let declared = registry.dags.values.flatMap(\.pools)
        guard !declared.isEmpty else { return }
        let existing = Set(try await store.pools().map(\.name))
        for (name, slots) in declared where !existing.contains(name) {
            try await store.setPool(PoolRecord(name: name, slots: slots, description: "declared by a DAG"))
        }
    }

    /// Creates a queued run; validates `conf` against the DAG's params.
    /// Scheduled and backfill runs pass their `dataInterval`; a manual run with a logical date
    /// gets the schedule's interval for it (Airflow's `infer_manual_data_interval`).
    /// `triggeredBy` defaults to the usual trigger of `runType` (`cli` for a manual run);
    /// an asset-triggered run passes the ids of the queued events it consumes; a backfill's run, its id.
    /// The run names the DAG's latest version (`dagVersion(for:)`); a manual run is written to the
    /// audit log (`trigger_dag_run`) with `triggeringUserName` as its owner.
    public func trigger(
        dagId: String, conf: [String: JSONValue] = [:], logicalDate: Date? = nil,
        dataInterval: DataInterval? = nil, runType: RunType = .manual,
        triggeredBy: TriggeredBy? = nil, runId: String? = nil,
        consumedEvents: [Int64] = [], backfillId: Int64? = nil, note: String? = nil, triggeringUserName: String? = nil
    ) async throws -> DAGRun {
        let dag = try registry.dag(dagId)
        let params = try dag.resolveParams(conf)
        let now = clock.now
        let logical = logicalDate ?? now
        let interval =
            dataInterval
            ?? (logicalDate == nil
                ? DataInterval(start: now, end: now) : dag.schedule.dataInterval(forLogicalDate: logical))
        var id = runId ?? "\(runType.rawValue)__\(RunIdentifier.timestamp(logical))"
        if runId == nil, (try await store.run(RunKey(dagId, id))) != nil { id += "_\(UInt32.random(in: 0...UInt32.max))" }
        let version = try await dagVersion(for: dagId)
        let run = DAGRun(
            dagId: dagId, runId: id, runType: runType, triggeredBy: triggeredBy, logicalDate: logical,
            dataInterval: interval, queuedAt: now, conf: conf, backfillId: backfillId, note: note,
            triggeringUserName: triggeringUserName, dagVersionId: version.id)
        _ = params
        try await store.createRun(
            run, instances: dag.graph.nodes.map { TaskInstance(runId: id, dagId: dagId, node: $0) },
            consumedEvents: consumedEvents)
        if runType == .manual {
            try await audit(
                AuditEvent.triggerDAGRun, owner: triggeringUserName, dagId: dagId, runId: id, logicalDate: logical,
                extra: ["triggered_by": .string(run.triggeredBy.rawValue)])
        }
        return run
    }

    /// Executes a run as its owner until it ends; throws `runOwned` when a live process owns it.
    /// Returns nil when a shutdown handed the run back before it ended.
    ///
    /// The lease is released when the run ends or fails; a release that fails is thrown (after
    /// the run's own error, if any), so the caller knows the lease is still held by this process.
    public func execute(
        _ key: RunKey, executor: any TaskExecutor, ledger: SlotLedger? = nil,
        shutdown: ShutdownSignal? = nil
    ) async throws -> RunState? {
        guard try await store.run(key) != nil else { throw RuntimeError.unknownRun(key) }
        let lease = try await acquireLease(key)
        let heartbeat = LeaseHeartbeat(engine: self, token: lease)
        let state: RunState?
        do {
            state = try await heartbeat.whileRenewing {
                try await executeOwned(key, lease: lease, executor: executor, ledger: ledger, shutdown: shutdown)
            }
        } catch {
            // The run's error decides what happens next and is the one thrown; a release that
            // fails too is written to the run's log. It leaves a lease of this (live) process,
            // which its scheduler reclaims when it tries the run again, or one another process
            // took over (nothing left to release). The error goes to the run's log too, so
            // `runs show` says why the run is not moving, not only the scheduler's log.
            home.appendRunLog(dagId: key.dagId, runId: key.runId, "the run could not be executed: \(error)", now: clock.now)
            do { try await store.releaseLease(lease) } catch let release {
                home.appendRunLog(
                    dagId: key.dagId, runId: key.runId,
                    "could not release the lease after the run failed (\(error)): \(release)", now: clock.now)
            }
            throw error
        }
        try await store.releaseLease(lease)
        return state
    }

    /// Takes the run's lease for this process; throws `runOwned` when a live process holds it.
    func acquireLease(_ key: RunKey) async throws -> LeaseToken {
        switch try await store.acquireLease(
            run: key, owner: .current, now: clock.now, timeout: leaseTimeout,
            isAlive: { $0.isAlive })
        {
        case .heldBy(let holder): throw RuntimeError.runOwned(key, holder.description)
        case .acquired(let token, let previous):
            if let previous {
                try await audit(
                    AuditEvent.takeOverDAGRun, owner: "\(token.owner.host) \(token.owner.pid)", dagId: key.dagId, runId: key.runId,
                    extra: [
                        "previous_owner": .string("\(previous.host) \(previous.pid)"),
                        "fencing_token": .number(Double(token.fencingToken)),
                    ])
            }
            return token
        }
    }

    /// `execute` once the lease is held.
    private func executeOwned(
        _ key: RunKey, lease: LeaseToken, executor: any TaskExecutor, ledger: SlotLedger?,
        shutdown: ShutdownSignal?
    ) async throws -> RunState? {
        guard var run = try await store.run(key) else { throw RuntimeError.unknownRun(key) }
        let dag = try registry.dag(run.dagId)
        if run.state.isTerminal { return run.state }
        if run.state == .queued, run.startDate == nil { run.startDate = clock.now }
        let pools = try await store.pools()
        let ledger = ledger ?? SlotLedger(parallelism: executor.handOffDepth, pools: pools, metrics: metrics)
        let driver = try await RunDriver(
            engine: self, dag: dag, run: run, lease: lease, executor: executor,
            ledger: ledger)
        let registration = shutdown?.register { [inbox = driver.inbox] kind in
            inbox.post(kind == .graceful ? .shutdown : .externalChange)
        }
        defer { if let registration { shutdown?.unregister(registration) } }
        return try await driver.drive()
    }

    /// A live scheduler process registered in the store, if any.
    public func liveScheduler() async throws -> ProcessIdentity? {
        try await store.schedulers().first { $0.isAlive }
    }
}

/// Run ids in Airflow's form: `manual__2024-05-01T10:00:00.123456+00:00`.
public enum RunIdentifier {
    /// `2024-05-01T10:00:00+00:00`, with `.ffffff` microseconds when not whole seconds.
    public static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = Int(seconds.rounded(.down))
        var micros = Int(((seconds - Double(whole)) * 1_000_000).rounded())
        if micros >= 1_000_000 { whole += 1; micros -= 1_000_000 }
        var time = time_t(whole)
        var parts = tm()
        gmtime_r(&time, &parts)
        var text = ""
        text.reserveCapacity(32)
        func pad(_ value: Int32, _ width: Int) {
            let digits = String(value)
            if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
            text += digits
        }
        pad(parts.tm_year + 1900, 4); text += "-"; pad(parts.tm_mon + 1, 2); text += "-"; pad(parts.tm_mday, 2)
        text += "T"; pad(parts.tm_hour, 2); text += ":"; pad(parts.tm_min, 2); text += ":"; pad(parts.tm_sec, 2)
        if micros != 0 { text += "."; pad(Int32(micros), 6) }
        return text + "+00:00"
    }
}
