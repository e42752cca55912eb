/// A pool of worker processes of the same binary that run opaque jobs in isolation.
///
/// A job that traps, exits or overruns its timeout costs only that job: its worker is
/// killed (SIGKILL), reaped and replaced, and other jobs go on. Workers die with the pool's
/// process (parent-death signal). Call ``shutdown()`` when done.
///
/// ```swift
/// let pool = WorkerPool(WorkerPoolConfiguration(size: 2))
/// try await pool.start()
/// switch await pool.run(WorkerJob(payload: request, timeout: .seconds(30), outputPath: logPath)) {
/// case .replied(let reply): use(reply)
/// case .crashed(let crash): print(crash)          // worker 4242 was killed by signal 4 (SIGILL): …
/// case .timedOut(let limit): print("timed out after \(limit)")
/// case .cancelled: break
/// }
/// await pool.shutdown()
/// ```
public actor WorkerPool {
    private let supervisor: WorkerSupervisor

    /// Creates a pool; no process starts before ``start()`` or the first ``run(_:)``.
    public init(_ configuration: WorkerPoolConfiguration) {
        supervisor = WorkerSupervisor(configuration)
    }

    /// Spawns the configured number of workers; throws ``WorkerSpawnError`` if one cannot start.
    public func start() async throws {
        try await supervisor.start()
    }

    /// Runs `job` on the next free worker (waiting for one, and spawning lazily if needed).
    /// Never throws: every way a job can end is a ``WorkerOutcome``.
    public nonisolated func run(_ job: WorkerJob) async -> WorkerOutcome {
        await supervisor.run(job)
    }

    /// Stops taking jobs, lets running jobs finish (2 s grace, then SIGKILL), closes the
    /// pipes and reaps every worker. Later ``run(_:)`` calls report a crash with pid 0.
    public func shutdown() async {
        await supervisor.shutdown()
    }

    /// Process ids of the workers alive now.
    public var livePIDs: [Int32] { supervisor.livePIDs }
}
