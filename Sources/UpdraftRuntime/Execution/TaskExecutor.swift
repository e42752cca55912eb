import UpdraftStore

/// Runs tries somewhere: in this process (tests, `tasks test`) or in worker processes.
public protocol TaskExecutor: Sendable {
    /// How many tries it runs at once.
    var capacity: Int { get }
    /// Runs one try; returns when it ends. Cancelling the calling task cancels the try.
    func execute(_ request: TaskRequest, timeout: Duration?) async -> ExecutionResult
    /// Starts one try without the caller waiting (now, or as soon as one of the executor's workers
    /// is free) and calls `completion` once with its result, on any thread; nil when it cannot
    /// (call `execute`). The run's driver takes this path first: it skips a task and two thread
    /// hops a try. A try that waits for a worker (``StartedTry/waiting``) gets `started` once a
    /// worker takes it (on any thread, before `completion`); one cancelled while it waits ends
    /// without it.
    func start(
        _ request: TaskRequest, timeout: Duration?, started: (@Sendable () -> Void)?,
        completion: @escaping @Sendable (ExecutionResult) -> Void
    ) -> StartedTry?
    /// How many tries the slot ledger lets the runs of this process hand over at once. Twice
    /// `capacity` by default: the next tries are handed over while the last results are committed.
    var handOffDepth: Int { get }
    /// How many tries of `queue` handed over now would reach a worker at once: a hint, read as
    /// slots are granted. A run's owner records the others `queued`, and `running` when `start`'s
    /// `started` comes. `Int.max` (the default) for executors that start every try they are
    /// given; all queues that answer less share one count (one pool of workers).
    func freeWorkers(queue: String) -> Int
    /// Stops any worker processes.
    func shutdown() async
    /// Whether a try a previous owner started on `queue` lives on outside it (queued for, run by,
    /// or finished by a remote worker), so that executing it again waits for it instead of
    /// re-running it. False for executors that run tries in this host's processes; a store that
    /// cannot answer throws (the run is then tried again later, not run twice).
    func resumable(_ key: TryKey, queue: String) async throws -> Bool
    /// The task-queue row of a try this executor hands to another process through the store, for
    /// the run's owner to commit with the try's `running` row (one write, not two); `execute` then
    /// waits for that row's result instead of queueing the try itself. Nil for a try it runs here.
    func stage(_ request: TaskRequest, timeout: Duration?) -> QueuedTry?
    /// Forgets staged tries whose commit failed (they were never queued).
    func unstage(_ keys: [TryKey])
    /// Where a run's driver should run its steps: the thread on which `start`'s completions
    /// come, when that thread can run them (``WorkerPoolExecutor``); nil for Swift's pool.
    var driverExecutor: (any _Concurrency.TaskExecutor)? { get }
}

extension TaskExecutor {
    public func start(
        _ request: TaskRequest, timeout: Duration?, started: (@Sendable () -> Void)?,
        completion: @escaping @Sendable (ExecutionResult) -> Void
    ) -> StartedTry? { nil }

    public var handOffDepth: Int { capacity * 2 }

    public func freeWorkers(queue: String) -> Int { .max }

    public func resumable(_ key: TryKey, queue: String) async throws -> Bool { false }

    public func stage(_ request: TaskRequest, timeout: Duration?) -> QueuedTry? { nil }

    public func unstage(_ keys: [TryKey]) {}

    public var driverExecutor: (any _Concurrency.TaskExecutor)? { nil }
}

/// A try that ``TaskExecutor/start(_:timeout:completion:)`` started.
public struct StartedTry: Sendable {
    let cancelling: @Sendable () -> Void
    /// The try waits in the executor's queue for a worker (its `started` comes later).
    public let waiting: Bool

    /// `cancel` stops the try; its completion then gets `.cancelled`.
    public init(cancel: @escaping @Sendable () -> Void, waiting: Bool = false) {
        cancelling = cancel
        self.waiting = waiting
    }

    /// Stops the try (its completion still comes, with `.cancelled` unless it had ended).
    public func cancel() { cancelling() }
}

/// Runs tries as child tasks of this process: fast, but a trap takes the process down and a
/// timeout can only cancel cooperatively. For unit tests and `tasks test`.
public struct InProcessExecutor: TaskExecutor {
    public let runner: TaskRunner
    public let capacity: Int

    /// `store` serves XCom pulls that were not prefetched (pass the engine's store); `resources`
    /// are this process's (tests pass their fakes here).
    public init(
        registry: DAGRegistry, store: (any StateStore)? = nil, capacity: Int = 8,
        resources: Resources = Resources()
    ) {
        self.runner = TaskRunner(registry: registry, store: store, resources: resources)
        self.capacity = capacity
    }

    public func execute(_ request: TaskRequest, timeout: Duration?) async -> ExecutionResult {
        let runner = self.runner
        return await withTaskGroup(of: ExecutionResult?.self) { group in
            // The body runs on threads of its own: a blocking task must not stall the process.
            group.addTask(executorPreference: TaskThreads.shared) { .replied(await runner.run(request)) }
            if let timeout {
                group.addTask {
                    do { try await Task.sleep(for: timeout) } catch { return nil }
                    return .timedOut(timeout)
                }
            }
            var result: ExecutionResult = .cancelled
            for await outcome in group {
                if let outcome { result = outcome; break }
            }
            group.cancelAll()
            if Task.isCancelled, case .replied(let reply) = result, reply.outcome != .success { return .cancelled }
            return result
        }
    }

    public func shutdown() async {}
}
