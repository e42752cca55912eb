import CUpdraftSystem

#if canImport(Glibc)
import Glibc
#endif

/// The parent's view of one live worker process. Every mutable field is guarded by the
/// owning ``WorkerSupervisor``'s lock.
final class WorkerChannel: @unchecked Sendable {
    let pid: pid_t
    let requestFD: Int32
    /// Bytes the request pipe holds: a request no longer than this never blocks its writer.
    let requestCapacity: Int
    let replyFD: Int32
    var stderrFD: Int32
    var replies = FrameBuffer()
    var stderrTail = StderrTail()
    /// The job in flight, if any.
    var job: InFlightJob?
    /// Set during shutdown: close the request pipe once the current job has replied.
    var requestClosed = false
    /// Jobs this worker has answered (0 means it died before serving anything).
    var jobsServed = 0
    /// When it was last parked idle (nil while it runs a job).
    var idleSince: ContinuousClock.Instant?
    /// Asked to exit after `idleTimeout` without a job: its exit is expected, not a crash.
    var retired = false

    init(_ spawned: WorkerSpawner.Spawned) {
        pid = spawned.pid
        requestFD = spawned.requestFD
        requestCapacity = Int(updraft_pipe_capacity(spawned.requestFD))
        replyFD = spawned.replyFD
        stderrFD = spawned.stderrFD
    }

    /// Why the supervisor killed this worker, if it did.
    enum KillReason {
        case timeout
        case cancelled
    }

    struct InFlightJob {
        var id: UInt64
        /// Called once, outside the lock, with how the job ended.
        var complete: @Sendable (WorkerOutcome) -> Void
        var timeout: Duration?
        var deadline: ContinuousClock.Instant?
        var outputPath: String?
        /// Size of `outputPath` when the job was sent; a crash report reads from there.
        var outputOffset: Int
        var killReason: KillReason?
    }
}
