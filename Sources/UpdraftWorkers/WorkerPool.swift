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

    /// Creates a pool; no process starts before ``start()``, the first ``run(_:)`` or ``submit(_:completion:)``.
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

    /// Sends `job` to a worker that is idle now, or queues it for the next one that is free, without
    /// waiting; nil only when the pool is stopping (then call nothing). `completion` gets the
    /// outcome once, on the pool's I/O thread (or on the thread that cancels the job while it is
    /// still queued): it should only hand it on (the runtime decodes the binary reply frame there,
    /// linear in its size, as the I/O thread's own read of it is). A worker that replies gets the
    /// next queued job from the I/O thread at once, before any completion runs: no task and no
    /// thread hop between one job's end and the next one's start. Callers waiting in ``run(_:)``
    /// get a free worker before queued jobs do; queued jobs go by ``WorkerJob/priority``.
    /// `started`, when given, is called once for a job that waited in the queue, after a worker
    /// took it (``WorkerSubmission/waiting`` says whether it waits); a job cancelled while queued
    /// ends without it.
    public nonisolated func submit(
        _ job: WorkerJob, started: (@Sendable () -> Void)? = nil, completion: @escaping @Sendable (WorkerOutcome) -> Void
    ) -> WorkerSubmission? {
        supervisor.submit(job, started: started, complete: completion).map {
            WorkerSubmission(supervisor: supervisor, id: $0.id, waiting: $0.waiting)
        }
    }

    /// Workers idle now that a job submitted now would get (none while jobs wait for a worker).
    public nonisolated var idleWorkers: Int { supervisor.idleWorkers }

    /// Stops taking jobs, lets running jobs finish (2 s grace, then SIGKILL), closes the
    /// pipes and reaps every worker. Later ``run(_:)`` calls report a crash with pid 0.
    public func shutdown() async {
        await supervisor.shutdown()
    }

    /// Process ids of the workers alive now.
    public var livePIDs: [Int32] { supervisor.livePIDs }

    /// An executor for a task that waits on ``submit(_:completion:)``'s completions (a run's
    /// driver, through `withTaskExecutorPreference`). When a completion resumes it while no other
    /// job is in flight, it runs on the pool's I/O thread right after the reply was read, without
    /// waking another thread; otherwise, and from any other thread, on the global executor.
    public nonisolated var ioExecutor: any TaskExecutor { supervisor }
}

/// A job sent by ``WorkerPool/submit(_:completion:)``.
public struct WorkerSubmission: Sendable {
    let supervisor: WorkerSupervisor
    let id: UInt64
    /// The job waits in the pool's queue (no worker was idle); false: a worker has it already.
    public let waiting: Bool

    /// Ends the job `.cancelled`: takes it out of the queue, or kills its worker if it still runs it.
    public func cancel() { supervisor.cancel(id) }
}
