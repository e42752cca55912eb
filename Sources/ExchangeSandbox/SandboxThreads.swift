import NIOCore
import NIOPosix

/// The sandbox's own threads: its sockets and every request handler run there, never on Swift's
/// cooperative pool. A test that talks to an in-process sandbox shares that pool with every other
/// test, and on a 2-core machine the pool has 2 threads: while CPU-heavy or blocking tests held
/// both, the sandbox answered tens of seconds late (a retried request timed out again), and a
/// test blocking a pool thread on its own request to the sandbox could never be answered.
///
/// The handlers' tasks prefer this executor (`withTaskExecutorPreference`), so their child tasks
/// and every resumption after an `await` stay on these threads too.
final class SandboxThreads: TaskExecutor {
    let group: MultiThreadedEventLoopGroup

    init(count: Int = 2) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: count)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        group.next().execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Runs `body` (the server) with its tasks on these threads, then stops them.
    func serve<Value: Sendable>(_ body: @Sendable () async throws -> Value) async throws -> Value {
        let result: Result<Value, any Error>
        do {
            result = .success(try await withTaskExecutorPreference(self) { try await body() })
        } catch {
            result = .failure(error)
        }
        try await group.shutdownGracefully()
        return try result.get()
    }
}
