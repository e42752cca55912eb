import Foundation
import UpdraftRuntime
import UpdraftStore

/// Runs DAGs to completion in-process over an in-memory store: for users' unit tests.
///
/// ```swift
/// let harness = try await DAGTestHarness(dags: [myDAG])
/// let result = try await harness.run("my_dag", conf: ["n": 3])
/// #expect(result.state == .success)
/// #expect(result.instances["load"]?.state == .success)
/// ```
public struct DAGTestHarness: Sendable {
    public let engine: Engine
    public let store: MemoryStateStore
    public let executor: InProcessExecutor

    /// `home` holds the logs (a fresh temporary folder by default). `resources` are what the tasks
    /// get from `ctx.resource(_:)`: the binary's own, or fakes (an HTTP client pointed at a
    /// sandbox, an in-memory database), e.g. `Resources([.value(myFakeClient)])`. `metrics` gets the
    /// engine's metrics and the counters the tasks report (`ctx.metrics`). `notifications`: the rules whose
    /// messages runs write to the store's outbox.
    public init(
        dags: [DAG], clock: any EngineClock = SystemClock(), home: String? = nil, capacity: Int = 8,
        resources: Resources = Resources(), leaseTimeout: TimeInterval = 30, metrics: EngineMetrics = EngineMetrics(),
        notifications: NotificationSettings = NotificationSettings()
    ) async throws {
        let registry = try DAGRegistry(dags)
        let folder =
            home
            ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("updraft-test-\(UUID().uuidString)").path
        store = MemoryStateStore()
        var engine = Engine(
            home: EngineHome(folder), store: store, registry: registry, clock: clock,
            leaseTimeout: leaseTimeout, metrics: metrics)
        engine.notifications = notifications
        self.engine = engine
        executor = InProcessExecutor(registry: registry, store: store, capacity: capacity, resources: resources)
        try await engine.syncDAGs()
    }

    /// What a finished run looks like.
    public struct RunResult: Sendable {
        public var run: DAGRun
        public var state: RunState
        /// Task instances by task id.
        public var instances: [String: TaskInstance]
    }

    /// Triggers `dagId` and executes the run to its end.
    public func run(_ dagId: String, conf: [String: JSONValue] = [:], logicalDate: Date? = nil) async throws -> RunResult {
        let run = try await engine.trigger(dagId: dagId, conf: conf, logicalDate: logicalDate, triggeredBy: .test)
        return try await execute(run.key)
    }

    /// Executes (or resumes) a stored run to its end.
    public func execute(_ key: RunKey) async throws -> RunResult {
        _ = try await engine.execute(key, executor: executor)
        let stored = try await store.run(key)!
        let instances = try await store.taskInstances(run: key)
        return RunResult(
            run: stored, state: stored.state,
            instances: Dictionary(instances.map { ($0.taskId, $0) }, uniquingKeysWith: { $1 }))
    }
}
