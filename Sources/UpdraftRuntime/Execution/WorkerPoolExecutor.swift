import Foundation
import UpdraftWorkers

/// Runs each try in a worker process of this binary (`WorkerPool`): a trap, an exit or a
/// timeout kills only that worker, which is replaced; the try fails and its retry policy applies.
///
/// The binary's `main` must call `WorkerProcess.serveIfRequested` with a `TaskRunner` first.
public final class WorkerPoolExecutor: TaskExecutor {
    let pool: WorkerPool
    public let capacity: Int

    /// Starts `size` workers running `executable` (this binary by default). `startup`, when set,
    /// reaches each worker before its first job (see ``TaskRunner/serveIfWorker(start:)``): the
    /// engine CLI sends the effective configuration in it. A worker idle for `idleTimeout` exits
    /// and the next try starts one again (`nil`: workers stay).
    public init(
        size: Int, executable: String = "/proc/self/exe", environment: [String: String] = [:],
        startup: [UInt8]? = nil, idleTimeout: Duration? = nil
    ) async throws {
        capacity = max(1, size)
        pool = WorkerPool(
            WorkerPoolConfiguration(
                size: capacity, executable: executable, environment: environment,
                startup: startup, idleTimeout: idleTimeout))
        try await pool.start()
    }

    public func execute(_ request: TaskRequest, timeout: Duration?) async -> ExecutionResult {
        Self.result(of: await pool.run(Self.job(request, timeout: timeout)))
    }

    public func start(
        _ request: TaskRequest, timeout: Duration?, started: (@Sendable () -> Void)?,
        completion: @escaping @Sendable (ExecutionResult) -> Void
    ) -> StartedTry? {
        guard
            let submission = pool.submit(
                Self.job(request, timeout: timeout), started: started, completion: { completion(Self.result(of: $0)) })
        else { return nil }
        return StartedTry(cancel: submission.cancel, waiting: submission.waiting)
    }

    /// Eight times the workers: tries wait in the pool's queue, recorded `queued`, so that a worker
    /// that replies gets its next job from the I/O thread at once, not after the owner's commit.
    public var handOffDepth: Int { capacity * 8 }

    /// The pool's idle workers (none while jobs wait for one), whatever the queue: one pool serves them all.
    public func freeWorkers(queue: String) -> Int { pool.idleWorkers }

    static func job(_ request: TaskRequest, timeout: Duration?) -> WorkerJob {
        // The worker creates the log's folder if it is missing. A try's log is its own (one file a
        // try), so a crash report quotes all of it and the pool need not stat the file first; a
        // factory's build appends to try 1's log each time the run builds it again, so the pool
        // finds where this build's output starts.
        WorkerJob(
            payload: request.frame, timeout: timeout, outputPath: request.logPath,
            outputStart: request.buildInput == nil ? 0 : nil, priority: request.priority ?? 1)
    }

    static func result(of outcome: WorkerOutcome) -> ExecutionResult {
        switch outcome {
        case .replied(let bytes):
            // An undecodable reply is reported as the try's failure below, not dropped.
            do { return .replied(try TaskReply(frame: bytes)) } catch {
                return .crashed("the worker sent an unreadable reply: \(error)")
            }
        case .crashed(let crash): return .crashed(crash.description)
        case .timedOut(let limit): return .timedOut(limit)
        case .cancelled: return .cancelled
        }
    }

    public func shutdown() async { await pool.shutdown() }

    /// The pool's I/O thread: a driver's step runs where its workers' replies are read.
    public var driverExecutor: (any _Concurrency.TaskExecutor)? { pool.ioExecutor }

    /// Process ids of the live workers.
    public var workerPIDs: [Int32] { get async { await pool.livePIDs } }
}

extension TaskRunner {
    /// Call first thing in `main`: when this process was started as a worker, serves tries
    /// from the registry until the pool closes the pipes, then exits; otherwise returns at once.
    public static func serveIfWorker(registry: DAGRegistry) async {
        let runner = TaskRunner(registry: registry)
        await WorkerProcess.serveIfRequested { payload in await runner.handle(payload) }
    }

    /// As ``serveIfWorker(registry:)``, for pools started with a start-up frame: `start` gets the
    /// frame (the configuration the owner chose) and builds this worker's runner (its registry and
    /// its resources) once; every job of the worker then goes to that runner.
    public static func serveIfWorker(start: @escaping @Sendable ([UInt8]) async throws -> TaskRunner) async {
        await WorkerProcess.serveIfRequested { startup in
            let runner = try await start(startup)
            return { payload in await runner.handle(payload) }
        }
    }
}
