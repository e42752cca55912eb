import CUpdraftSystem
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The engine behind ``WorkerPool``: lock-protected state shared by callers and one
/// dedicated I/O thread that spawns workers, polls their pipes, enforces timeouts, reaps
/// the dead, sends queued jobs to workers as they free up, and runs the Swift jobs it keeps
/// (see `enqueue`). Blocking system calls never run on Swift's cooperative pool, except the
/// write of a request into a pipe whose reader is waiting for it.
///
/// Workers are spawned from the I/O thread because Linux sends the parent-death signal when
/// the spawning *thread* exits, and cooperative-pool threads may come and go.
final class WorkerSupervisor: @unchecked Sendable {
    let configuration: WorkerPoolConfiguration
    let lock = NSLock()

    // MARK: State guarded by `lock`
    var channels: [WorkerChannel] = []
    var idle: [WorkerChannel] = []
    var waiters: [(id: UInt64, continuation: CheckedContinuation<Checkout, Never>)] = []
    /// Submitted jobs waiting for a free worker, highest priority first, then oldest (after `waiters`).
    var queued: [QueuedJob] = []
    var spawnQueue: [SpawnRequest] = []
    /// Spawns queued or in progress.
    var pendingSpawns = 0
    /// Workers in a row that died before serving a job (a binary that does not serve).
    var startupDeaths = 0
    var nextID: UInt64 = 0
    var threadStarted = false
    var stopping = false
    var stopDeadline: ContinuousClock.Instant?
    var stopWaiters: [CheckedContinuation<Void, Never>] = []
    var stopped = false
    /// Swift jobs kept for the I/O thread (see `enqueue`), run before its next poll.
    var loopJobs: [UnownedJob] = []
    /// The I/O thread while its loop runs.
    var ioThread: pthread_t?

    /// Wakes the I/O thread out of `poll`: (read end, write end), both non-blocking.
    let wakeFDs: (read: Int32, write: Int32)

    enum Checkout {
        case worker(WorkerChannel)
        case cancelled
        case unavailable(String)
    }

    enum SpawnRequest {
        case initial(CheckedContinuation<Void, any Error>)
        case replacement
    }

    /// A job ``submit(_:started:complete:)`` queued because no worker was idle.
    struct QueuedJob {
        var id: UInt64
        var job: WorkerJob
        var outputOffset: Int
        var started: (@Sendable () -> Void)?
        var complete: @Sendable (WorkerOutcome) -> Void
    }

    /// What a worker that became free does next (performed outside the lock).
    enum Handoff {
        /// Resume this `run` caller with the worker.
        case waiter(CheckedContinuation<Checkout, Never>, WorkerChannel)
        /// Write the request of this queued job, installed on the worker already; then tell its
        /// submitter that it started.
        case send(WorkerJob, WorkerChannel, started: (@Sendable () -> Void)?)

        func perform(_ supervisor: WorkerSupervisor) {
            switch self {
            case .waiter(let waiter, let channel): waiter.resume(returning: .worker(channel))
            case .send(let job, let channel, let started):
                supervisor.send(job, on: channel)
                started?()
            }
        }
    }

    init(_ configuration: WorkerPoolConfiguration) {
        self.configuration = configuration
        var fds: [Int32] = [0, 0]
        if updraft_pipe(&fds, 1) != 0 { fatalError("pipe2 failed: \(errno)") }
        wakeFDs = (fds[0], fds[1])
        // A worker that dies while we write its request must not kill us with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit {
        close(wakeFDs.read)
        close(wakeFDs.write)
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeFDs.write, &byte, 1)
    }

    /// Starts the I/O thread once; call with the lock held.
    func startThreadLocked() {
        guard !threadStarted else { return }
        threadStarted = true
        let thread = Thread { [self] in self.runLoop() }
        thread.name = "updraft-workers"
        thread.start()
    }

    // MARK: Pool operations

    func start() async throws {
        let missing = withLock { stopping ? 0 : configuration.size - channels.count - pendingSpawns }
        guard missing > 0 else { return }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<missing {
                group.addTask {
                    try await withCheckedThrowingContinuation { continuation in
                        self.withLock {
                            self.pendingSpawns += 1
                            self.spawnQueue.append(.initial(continuation))
                            self.startThreadLocked()
                        }
                        self.wake()
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    func run(_ job: WorkerJob) async -> WorkerOutcome {
        switch await checkout() {
        case .worker(let channel): return await perform(job, on: channel)
        case .cancelled: return .cancelled
        case .unavailable(let reason): return .crashed(WorkerCrash(pid: 0, stderrTail: reason))
        }
    }

    var livePIDs: [Int32] { withLock { channels.map(\.pid) } }

    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            var resumeNow = false
            var abandoned: [CheckedContinuation<Checkout, Never>] = []
            var dropped: [QueuedJob] = []
            withLock {
                if stopped || !threadStarted {
                    stopping = true
                    stopped = true
                    resumeNow = true
                } else {
                    stopWaiters.append(continuation)
                    if !stopping {
                        stopping = true
                        stopDeadline = .now + .seconds(2)
                        abandoned = waiters.map(\.continuation)
                        waiters.removeAll()
                        dropped = queued
                        queued.removeAll()
                        for channel in idle { closeRequestLocked(channel) }
                        idle.removeAll()
                        for channel in channels where channel.job == nil { closeRequestLocked(channel) }
                    }
                }
            }
            for waiter in abandoned { waiter.resume(returning: .unavailable("the worker pool is shut down")) }
            for entry in dropped { entry.complete(.crashed(WorkerCrash(pid: 0, stderrTail: "the worker pool is shut down"))) }
            if resumeNow { continuation.resume() } else { wake() }
        }
    }

    func closeRequestLocked(_ channel: WorkerChannel) {
        guard !channel.requestClosed else { return }
        channel.requestClosed = true
        close(channel.requestFD)
    }

    // MARK: Checkout and perform

    private func checkout() async -> Checkout {
        let id = withLock {
            nextID &+= 1; return nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Checkout, Never>) in
                var immediate: Checkout?
                var needsWake = false
                withLock {
                    if Task.isCancelled {
                        immediate = .cancelled
                    } else if stopping {
                        immediate = .unavailable("the worker pool is shut down")
                    } else if let channel = idle.popLast() {
                        channel.idleSince = nil
                        immediate = .worker(channel)
                    } else {
                        if channels.count + pendingSpawns < configuration.size {
                            pendingSpawns += 1
                            spawnQueue.append(.replacement)
                            startThreadLocked()
                            needsWake = true
                        }
                        waiters.append((id, continuation))
                    }
                }
                if let immediate { continuation.resume(returning: immediate) }
                if needsWake { wake() }
            }
        } onCancel: {
            let waiter: CheckedContinuation<Checkout, Never>? = withLock {
                guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: .cancelled)
        }
    }

    private func perform(_ job: WorkerJob, on channel: WorkerChannel) async -> WorkerOutcome {
        let id = withLock {
            nextID &+= 1; return nextID
        }
        let outputOffset = Self.outputOffset(of: job)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<WorkerOutcome, Never>) in
                var handoff: Handoff?
                var refusal = WorkerOutcome.cancelled
                let accepted: Bool = withLock {
                    if channel.requestClosed {
                        refusal = .crashed(WorkerCrash(pid: channel.pid, stderrTail: "the worker pool is shut down"))
                        return false
                    }
                    if Task.isCancelled {
                        handoff = handOffLocked(channel)
                        return false
                    }
                    channel.job = Self.inFlight(job, id: id, outputOffset: outputOffset) { continuation.resume(returning: $0) }
                    return true
                }
                handoff?.perform(self)
                // Parked idle off the I/O thread: its poll learns the retirement deadline.
                if !accepted, handoff == nil, configuration.idleTimeout != nil { wake() }
                guard accepted else {
                    continuation.resume(returning: refusal)
                    return
                }
                send(job, on: channel)
            }
        } onCancel: {
            cancel(id)
        }
    }

    /// Sends `job` to an idle worker, or queues it for the next worker that is free (spawning
    /// one if the pool is below its size); returns its id and whether it waits in the queue, or
    /// nil (calling nothing) when the pool is stopping. `complete` is called once: on the I/O
    /// thread, or on the thread that cancels the job while it is still queued. `started` is
    /// called only for a job that waited, once a worker took it and its request is written, on
    /// the thread that freed the worker (the I/O thread, after the completions it read in the
    /// same pass).
    func submit(
        _ job: WorkerJob, started: (@Sendable () -> Void)?, complete: @escaping @Sendable (WorkerOutcome) -> Void
    ) -> (id: UInt64, waiting: Bool)? {
        let outputOffset = Self.outputOffset(of: job)
        var spawns = false
        let taken: (id: UInt64, channel: WorkerChannel?)? = withLock {
            guard !stopping else { return nil }
            nextID &+= 1
            if waiters.isEmpty, queued.isEmpty, let channel = idle.popLast() {
                channel.idleSince = nil
                channel.job = Self.inFlight(job, id: nextID, outputOffset: outputOffset, complete: complete)
                return (nextID, channel)
            }
            let entry = QueuedJob(id: nextID, job: job, outputOffset: outputOffset, started: started, complete: complete)
            if let later = queued.firstIndex(where: { $0.job.priority < job.priority }) {
                queued.insert(entry, at: later)
            } else {
                queued.append(entry)
            }
            if channels.count + pendingSpawns < configuration.size {
                pendingSpawns += 1
                spawnQueue.append(.replacement)
                startThreadLocked()
                spawns = true
            }
            return (nextID, nil)
        }
        if spawns { wake() }
        guard let taken else { return nil }
        if let channel = taken.channel { send(job, on: channel) }
        return (taken.id, taken.channel == nil)
    }

    /// Idle workers a job submitted now would get: none while `run` callers or queued jobs wait.
    var idleWorkers: Int { withLock { waiters.isEmpty && queued.isEmpty ? idle.count : 0 } }

    /// Ends job `id`: a queued one leaves the queue and completes `.cancelled` here; a running
    /// one's worker is killed, and the job ends `.cancelled` when the I/O thread reaps it.
    func cancel(_ id: UInt64) {
        let dequeued: QueuedJob? = withLock {
            if let index = queued.firstIndex(where: { $0.id == id }) { return queued.remove(at: index) }
            for channel in channels {
                guard let inFlight = channel.job, inFlight.id == id, inFlight.killReason == nil else { continue }
                channel.job?.killReason = .cancelled
                kill(channel.pid, SIGKILL)
            }
            return nil
        }
        dequeued?.complete(.cancelled)
    }

    private static func inFlight(
        _ job: WorkerJob, id: UInt64, outputOffset: Int, complete: @escaping @Sendable (WorkerOutcome) -> Void
    ) -> WorkerChannel.InFlightJob {
        WorkerChannel.InFlightJob(
            id: id, complete: complete, timeout: job.timeout, deadline: job.timeout.map { .now + $0 },
            outputPath: job.outputPath, outputOffset: outputOffset, killReason: nil)
    }

    /// Writes the request of a job just installed on `channel`. The worker has read all of its
    /// previous request (a new one may still hold its start-up frame, a few kilobytes it reads
    /// first), so a frame that fits the pipe does not block; on the I/O thread a larger one is
    /// written from another thread, so that a worker that stops reading (stopped, wedged) cannot
    /// stall the loop that would kill it.
    func send(_ job: WorkerJob, on channel: WorkerChannel) {
        let frame = WorkerFrame.request(job)
        let onIOThread = withLock { onIOThreadLocked }
        // The I/O thread's poll learns the job's deadline (it recomputes it itself).
        if job.timeout != nil, !onIOThread { wake() }
        // A failed write means the worker died; the I/O thread reports how.
        if onIOThread, frame.count > channel.requestCapacity {
            // Its own descriptor: burying the worker meanwhile (on this thread) cannot close it.
            let fd = fcntl(channel.requestFD, F_DUPFD_CLOEXEC, 0)
            if fd >= 0 {
                DispatchQueue.global().async {
                    WorkerFrame.writeAll(frame, to: fd)
                    close(fd)
                }
                return
            }
        }
        WorkerFrame.writeAll(frame, to: channel.requestFD)
    }

    /// Gives a free worker to the first waiter, else to the first queued job (highest priority,
    /// then oldest; installed here), or parks it as idle. Call with the lock held; perform what it returns after releasing it.
    func handOffLocked(_ channel: WorkerChannel) -> Handoff? {
        if stopping {
            closeRequestLocked(channel)
            return nil
        }
        if !waiters.isEmpty { return .waiter(waiters.removeFirst().continuation, channel) }
        if !queued.isEmpty {
            let next = queued.removeFirst()
            channel.idleSince = nil
            channel.job = Self.inFlight(next.job, id: next.id, outputOffset: next.outputOffset, complete: next.complete)
            return .send(next.job, channel, started: next.started)
        }
        channel.idleSince = .now
        idle.append(channel)
        return nil
    }

    /// Where `job`'s output begins in its output file: as the caller says, else the file's size
    /// now. Read before taking the lock (a `stat`).
    static func outputOffset(of job: WorkerJob) -> Int {
        job.outputStart ?? job.outputPath.map(fileSize) ?? 0
    }

    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }
}
