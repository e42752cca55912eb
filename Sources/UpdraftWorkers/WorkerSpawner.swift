import CUpdraftSystem
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts one worker process with `posix_spawn`: request pipe on fd 3, reply pipe on fd 4,
/// stderr on a pipe, stdin from /dev/null, stdout inherited, every other descriptor closed,
/// signal mask and dispositions reset.
struct WorkerSpawner: Sendable {
    /// The environment variable through which a worker learns its spawner's pid
    /// (to detect that the parent died before the parent-death signal was armed).
    static let parentPIDVariable = "UPDRAFT_WORKER_PARENT_PID"

    let configuration: WorkerPoolConfiguration

    /// The parent's ends of a new worker's pipes.
    struct Spawned {
        var pid: pid_t
        var requestFD: Int32
        var replyFD: Int32
        var stderrFD: Int32
    }

    func spawn() throws(WorkerSpawnError) -> Spawned {
        var opened: [Int32] = []
        func fail(_ call: String, _ code: Int32 = errno) -> WorkerSpawnError {
            for fd in opened { close(fd) }
            return WorkerSpawnError(
                executable: configuration.executable,
                reason: "\(String(cString: strerror(code))) (\(call))")
        }
        /// A close-on-exec pipe whose ends are ≥ 10, so the child's dup2 onto 2, 3 and 4 never
        /// clobbers another source descriptor.
        func makePipe() throws(WorkerSpawnError) -> (read: Int32, write: Int32) {
            var fds: [Int32] = [0, 0]
            guard updraft_spawn_pipe(&fds, 10) == 0 else { throw fail("pipe2, fcntl") }
            opened += fds
            return (fds[0], fds[1])
        }
        let request = try makePipe()
        let reply = try makePipe()
        let stderrPipe = try makePipe()

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe.write, 2)
        posix_spawn_file_actions_adddup2(&actions, request.read, WorkerFrame.requestDescriptor)
        posix_spawn_file_actions_adddup2(&actions, reply.write, WorkerFrame.replyDescriptor)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        let signals = updraft_spawnattr_default_signals(&attributes)
        guard signals == 0 else { throw fail("posix_spawnattr_setsigdefault", signals) }
        // Nothing else of ours reaches the worker: it lives as long as the pool, and a pipe end
        // it held by accident (another thread's `Pipe()` for a child's output, say) would keep
        // that pipe's reader from ever seeing end-of-file.
        let closing = updraft_spawn_close_other_descriptors(&actions, &attributes, WorkerFrame.replyDescriptor + 1)
        guard closing == 0 else { throw fail("posix_spawn_file_actions_addclosefrom_np", closing) }

        let argv = ([configuration.executable] + configuration.arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let envp = environment().map { strdup($0) } + [nil]
        defer { for pointer in envp { free(pointer) } }

        var pid: pid_t = 0
        let status = posix_spawn(&pid, configuration.executable, &actions, &attributes, argv, envp)
        guard status == 0 else { throw fail("posix_spawn", status) }
        close(request.read)
        close(reply.write)
        close(stderrPipe.write)
        if let startup = configuration.startup {
            // The first frame, before any job; a worker that died at once is reaped as a crash.
            _ = WorkerFrame.writeAll(WorkerFrame.request(WorkerJob(payload: startup)), to: request.write)
        }
        for fd in [reply.read, stderrPipe.read] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        return Spawned(pid: pid, requestFD: request.write, replyFD: reply.read, stderrFD: stderrPipe.read)
    }

    /// The inherited environment (with huge pages for malloc unless GLIBC_TUNABLES is set), plus
    /// the configuration's variables, plus the parent pid.
    /// Swift's backtracer is off unless asked for: it would delay crash reports by seconds.
    private func environment() -> [String] {
        var variables = ProcessInfo.processInfo.environment
        // Transparent huge pages for the worker's heap (glibc ≥ 2.35; ignored elsewhere): a task
        // that fills large arrays (a million candles' indicators, 120 MB) takes a page fault per
        // 2 MB instead of per 4 KB. Tunables the operator set are kept as they are.
        if variables["GLIBC_TUNABLES"] == nil { variables["GLIBC_TUNABLES"] = "glibc.malloc.hugetlb=1" }
        if variables["SWIFT_BACKTRACE"] == nil { variables["SWIFT_BACKTRACE"] = "enable=no" }
        variables.merge(configuration.environment) { _, new in new }
        variables[Self.parentPIDVariable] = String(getpid())
        return variables.map { "\($0.key)=\($0.value)" }
    }
}
