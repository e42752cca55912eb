import Foundation
import UpdraftCore
import UpdraftStore

/// The engine: a registry of DAGs over a state store. Triggers runs, executes them as their
/// owner, and edits them (clear, mark, cancel). The CLI and the scheduler call this.
///
/// ```swift
/// let engine = try Engine.open(home: EngineHome("runs"), registry: registry)
/// let run = try engine.trigger(dagId: "etl", conf: ["limit": 10])
/// let state = try await engine.execute(run.key, executor: executor)
/// ```
public struct Engine: Sendable {
    public let home: EngineHome
    public let store: any StateStore
    public let registry: DAGRegistry
    public let clock: any EngineClock
    /// The SQLite file workers read XCom from (nil for an in-memory store).
    public let storePath: String?

    public init(home: EngineHome, store: any StateStore, registry: DAGRegistry, clock: any EngineClock = SystemClock(),
                storePath: String? = nil) {
        self.home = home; self.store = store; self.registry = registry; self.clock = clock; self.storePath = storePath
    }

    /// An engine over `<home>/updraft.db`.
    /// Refuses (`stateDatabaseLost`) a database that went missing or empty after it held state.
    public static func open(home: EngineHome, registry: DAGRegistry, durableAcrossPowerLoss: Bool = false) throws -> Engine {
        try home.checkStateDatabase()
        let store = try SQLiteStateStore(path: home.databasePath, durableAcrossPowerLoss: durableAcrossPowerLoss)
        let engine = Engine(home: home, store: store, registry: registry, storePath: home.databasePath)
        try engine.syncDAGs()
        try home.markStateDatabaseInUse(now: engine.clock.now)
        return engine
    }

    /// Records registry DAGs the store has not seen yet, and creates the pools they declare.
    public func syncDAGs() throws {
        try store.syncDAGs(registry.ids.map { DAGEntry(dagId: $0, isPaused: registry.dags[$0]!.isPausedAtCreation) })
        let declared = registry.dags.values.flatMap(\.pools)
        guard !declared.isEmpty else { return }
        let existing = Set(try store.pools().map(\.name))
        for (name, slots) in declared where !existing.contains(name) {
            try store.setPool(PoolRecord(name: name, slots: slots, description: "declared by a DAG"))
        }
    }

    /// Creates a queued run; validates `conf` against the DAG's params.
    /// Scheduled and backfill runs pass their `dataInterval`; a manual run with a logical date
    /// gets the schedule's interval for it (Airflow's `infer_manual_data_interval`).
    public func trigger(dagId: String, conf: [String: JSONValue] = [:], logicalDate: Date? = nil,
                        dataInterval: DataInterval? = nil, runType: RunType = .manual,
                        runId: String? = nil) throws -> DAGRun {
        let dag = try registry.dag(dagId)
        let params = try dag.resolveParams(conf)
        let now = clock.now
        let logical = logicalDate ?? now
        let interval = dataInterval ?? (logicalDate == nil
            ? DataInterval(start: now, end: now) : dag.schedule.dataInterval(forLogicalDate: logical))
        var id = runId ?? "\(runType.rawValue)__\(RunIdentifier.timestamp(logical))"
        if runId == nil, (try store.run(RunKey(dagId, id))) != nil { id += "_\(UInt32.random(in: 0...UInt32.max))" }
        let run = DAGRun(dagId: dagId, runId: id, runType: runType, logicalDate: logical, dataInterval: interval,
                         queuedAt: now, conf: conf)
        _ = params
        try store.createRun(run, instances: dag.graph.nodes.map { TaskInstance(runId: id, dagId: dagId, node: $0) })
        return run
    }

    /// Executes a run as its owner until it ends; throws `runOwned` when a live process owns it.
    /// Returns nil when a shutdown handed the run back before it ended.
    ///
    /// The lease is released when the run ends or fails; a release that fails is thrown (after
    /// the run's own error, if any), so the caller knows the lease is still held by this process.
    public func execute(_ key: RunKey, executor: any TaskExecutor, ledger: SlotLedger? = nil,
                        shutdown: ShutdownSignal? = nil) async throws -> RunState? {
        guard try store.run(key) != nil else { throw RuntimeError.unknownRun(key) }
        let owner = ProcessIdentity.current
        switch try store.acquireLease(run: key, owner: owner, now: clock.now, isAlive: { $0.isAlive }) {
        case .heldBy(let holder): throw RuntimeError.runOwned(key, holder.description)
        case .acquired: break
        }
        let state: RunState?
        do {
            state = try await executeOwned(key, executor: executor, ledger: ledger, shutdown: shutdown)
        } catch {
            // The run's error decides what happens next; a failed release leaves a lease of this
            // (live) process, which its scheduler reclaims when it tries the run again.
            _ = try? store.releaseLease(run: key, owner: owner)
            throw error
        }
        try store.releaseLease(run: key, owner: owner)
        return state
    }

    /// `execute` once the lease is held.
    private func executeOwned(_ key: RunKey, executor: any TaskExecutor, ledger: SlotLedger?,
                              shutdown: ShutdownSignal?) async throws -> RunState? {
        guard var run = try store.run(key) else { throw RuntimeError.unknownRun(key) }
        let dag = try registry.dag(run.dagId)
        if run.state.isTerminal { return run.state }
        if run.state == .queued, run.startDate == nil { run.startDate = clock.now }
        let pools = try store.pools()
        let ledger = ledger ?? SlotLedger(parallelism: executor.capacity * 2, pools: pools)
        let driver = try RunDriver(engine: self, dag: dag, run: run, executor: executor, ledger: ledger)
        let registration = shutdown?.register { [inbox = driver.inbox] kind in
            inbox.post(kind == .graceful ? .shutdown : .externalChange)
        }
        defer { if let registration { shutdown?.unregister(registration) } }
        return try await driver.drive()
    }

    /// A live scheduler process registered in the store, if any.
    public func liveScheduler() throws -> ProcessIdentity? {
        try store.schedulers().first { $0.isAlive }
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
