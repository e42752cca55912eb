#if canImport(Glibc)
import Glibc
#endif

/// The I/O thread: spawn, poll, read replies and stderr, send queued jobs, run kept Swift jobs,
/// time out, reap, replace.
extension WorkerSupervisor {
    /// Work found in one pass, performed after the lock is released.
    private struct Resumptions {
        var jobs: [(@Sendable (WorkerOutcome) -> Void, WorkerOutcome)] = []
        var checkouts: [(CheckedContinuation<Checkout, Never>, Checkout)] = []
        var starts: [(CheckedContinuation<Void, any Error>, (any Error)?)] = []
        /// Workers that became free: queued jobs' requests go out first, waiters resume last.
        var handoffs: [Handoff] = []

        mutating func add(_ handoff: Handoff?) {
            if let handoff { handoffs.append(handoff) }
        }

        func resumeAll(_ supervisor: WorkerSupervisor) {
            // Requests first (the workers start at once), then the completions, then the starts:
            // a driver that drains its events between them sees the end that freed a worker
            // before the start of the try that took it.
            for case .send(let job, let channel, _) in handoffs { supervisor.send(job, on: channel) }
            for (complete, outcome) in jobs { complete(outcome) }
            for case .send(_, _, let started?) in handoffs { started() }
            for case .waiter(let waiter, let channel) in handoffs { waiter.resume(returning: .worker(channel)) }
            for (continuation, checkout) in checkouts { continuation.resume(returning: checkout) }
            for (continuation, error) in starts {
                if let error { continuation.resume(throwing: error) } else { continuation.resume() }
            }
        }
    }

    func runLoop() {
        let spawner = WorkerSpawner(configuration: configuration)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 8)
        defer { buffer.deallocate() }
        var pollSet: [pollfd] = []
        var owners: [(WorkerChannel, isReply: Bool)] = []
        withLock { ioThread = pthread_self() }
        while true {
            spawnQueued(with: spawner)
            // Kept by the last pass's resumptions (a driver's next step): before polling again.
            runLoopJobs()

            // Build the poll set and the timeout from the current state.
            var timeoutMS: Int32 = -1
            var finished: [CheckedContinuation<Void, Never>] = []
            let done: Bool = withLock {
                if stopping, channels.isEmpty, pendingSpawns == 0 {
                    stopped = true
                    ioThread = nil
                    finished = stopWaiters
                    stopWaiters.removeAll()
                    return true
                }
                pollSet.removeAll(keepingCapacity: true)
                owners.removeAll(keepingCapacity: true)
                pollSet.append(pollfd(fd: wakeFDs.read, events: Int16(POLLIN), revents: 0))
                var earliest: ContinuousClock.Instant? = stopping ? stopDeadline : nil
                for channel in channels {
                    pollSet.append(pollfd(fd: channel.replyFD, events: Int16(POLLIN), revents: 0))
                    owners.append((channel, true))
                    if channel.stderrFD >= 0 {
                        pollSet.append(pollfd(fd: channel.stderrFD, events: Int16(POLLIN), revents: 0))
                        owners.append((channel, false))
                    }
                    if let deadline = channel.job?.deadline, channel.job?.killReason == nil {
                        earliest = min(earliest ?? deadline, deadline)
                    }
                }
                if let idleTimeout = configuration.idleTimeout, !stopping {
                    for channel in idle {
                        guard let since = channel.idleSince else { continue }
                        earliest = min(earliest ?? since + idleTimeout, since + idleTimeout)
                    }
                }
                if let earliest {
                    let remaining = ContinuousClock.now.duration(to: earliest)
                    let ms = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
                    timeoutMS = Int32(clamping: max(0, ms + 1))
                }
                return false
            }
            if done {
                for continuation in finished { continuation.resume() }
                return
            }

            let ready = poll(&pollSet, nfds_t(pollSet.count), timeoutMS)
            if ready < 0, errno != EINTR { continue }
            if pollSet[0].revents != 0 { drainWakePipe(buffer) }

            var resumptions = Resumptions()
            var dead: [WorkerChannel] = []
            for (index, entry) in pollSet.enumerated().dropFirst() where entry.revents != 0 {
                let (channel, isReply) = owners[index - 1]
                if isReply {
                    if !readReplies(channel, buffer, &resumptions) { dead.append(channel) }
                } else {
                    readStderr(channel, buffer)
                }
            }
            enforceDeadlines()
            for channel in dead { bury(channel, buffer, &resumptions) }
            resumptions.resumeAll(self)
        }
    }

    private func drainWakePipe(_ buffer: UnsafeMutableRawBufferPointer) {
        while read(wakeFDs.read, buffer.baseAddress, buffer.count) > 0 {}
    }

    private func spawnQueued(with spawner: WorkerSpawner) {
        while true {
            var resumptions = Resumptions()
            let request: SpawnRequest? = withLock { spawnQueue.isEmpty ? nil : spawnQueue.removeFirst() }
            guard let request else { return }
            let result = Result { () throws(WorkerSpawnError) in try spawner.spawn() }
            withLock {
                pendingSpawns -= 1
                switch result {
                case .success(let spawned):
                    let channel = WorkerChannel(spawned)
                    channels.append(channel)
                    resumptions.add(handOffLocked(channel))
                    if case .initial(let continuation) = request { resumptions.starts.append((continuation, nil)) }
                case .failure(let error):
                    if case .initial(let continuation) = request { resumptions.starts.append((continuation, error)) }
                    failWaitersIfHopelessLocked(error.description, &resumptions)
                }
            }
            resumptions.resumeAll(self)
        }
    }

    /// With no worker alive or coming, waiters and queued jobs would wait forever: tell them why instead.
    private func failWaitersIfHopelessLocked(_ reason: String, _ resumptions: inout Resumptions) {
        guard channels.isEmpty, pendingSpawns == 0 else { return }
        for waiter in waiters { resumptions.checkouts.append((waiter.continuation, .unavailable(reason))) }
        waiters.removeAll()
        for entry in queued { resumptions.jobs.append((entry.complete, .crashed(WorkerCrash(pid: 0, stderrTail: reason)))) }
        queued.removeAll()
    }

    /// Reads what is available on a reply pipe; false at end of file (the worker is gone).
    private func readReplies(
        _ channel: WorkerChannel, _ buffer: UnsafeMutableRawBufferPointer,
        _ resumptions: inout Resumptions
    ) -> Bool {
        while true {
            let count = read(channel.replyFD, buffer.baseAddress, buffer.count)
            if count == 0 { return false }
            if count < 0 { return errno == EAGAIN || errno == EINTR }
            withLock {
                channel.replies.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                while let body = channel.replies.nextFrame() {
                    guard let job = channel.job, job.killReason == nil else { continue }
                    channel.job = nil
                    channel.jobsServed += 1
                    startupDeaths = 0
                    resumptions.jobs.append((job.complete, .replied(body)))
                    resumptions.add(handOffLocked(channel))
                }
                if channel.replies.isCorrupt { kill(channel.pid, SIGKILL) }
            }
            if count < buffer.count { return true }
        }
    }

    private func readStderr(_ channel: WorkerChannel, _ buffer: UnsafeMutableRawBufferPointer) {
        while true {
            let count = read(channel.stderrFD, buffer.baseAddress, buffer.count)
            if count > 0 {
                withLock { channel.stderrTail.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
                if count < buffer.count { return }
                continue
            }
            if count == 0 || (errno != EAGAIN && errno != EINTR) {
                withLock {
                    close(channel.stderrFD)
                    channel.stderrFD = -1
                }
            }
            return
        }
    }

    private func enforceDeadlines() {
        let now = ContinuousClock.now
        withLock {
            if stopping, let deadline = stopDeadline, deadline <= now {
                for channel in channels { kill(channel.pid, SIGKILL) }
                stopDeadline = nil
            }
            for channel in channels {
                guard let job = channel.job, job.killReason == nil, let deadline = job.deadline, deadline <= now
                else { continue }
                channel.job?.killReason = .timeout
                kill(channel.pid, SIGKILL)
            }
            // Idle too long: close its request pipe; it exits at end of file and is reaped.
            if let idleTimeout = configuration.idleTimeout, !stopping {
                let expired = idle.filter { ($0.idleSince.map { $0 + idleTimeout <= now }) ?? false }
                idle.removeAll { channel in expired.contains { $0 === channel } }
                for channel in expired {
                    channel.retired = true
                    closeRequestLocked(channel)
                }
            }
        }
    }

    /// Reaps a worker whose reply pipe closed, reports the job it died in, and replaces it (a
    /// retired idle worker only when jobs wait).
    private func bury(
        _ channel: WorkerChannel, _ buffer: UnsafeMutableRawBufferPointer,
        _ resumptions: inout Resumptions
    ) {
        let status = reap(channel.pid)
        if channel.stderrFD >= 0 { readStderr(channel, buffer) }
        withLock {
            if channel.stderrFD >= 0 { close(channel.stderrFD); channel.stderrFD = -1 }
            close(channel.replyFD)
            closeRequestLocked(channel)
            channels.removeAll { $0 === channel }
            idle.removeAll { $0 === channel }
            let diedInJob = channel.job != nil
            if let job = channel.job {
                channel.job = nil
                resumptions.jobs.append((job.complete, outcome(of: job, channel, status)))
            }
            if channel.jobsServed == 0 && !diedInJob && !channel.retired { startupDeaths += 1 }
            let wanted = diedInJob || !waiters.isEmpty || !queued.isEmpty
            if !stopping, wanted, startupDeaths < 3, channels.count + pendingSpawns < configuration.size {
                pendingSpawns += 1
                spawnQueue.append(.replacement)
            } else if startupDeaths >= 3 {
                failWaitersIfHopelessLocked(
                    "workers exit at startup (does '\(configuration.executable)' call "
                        + "WorkerProcess.serveIfRequested?): \(WorkerCrash(pid: channel.pid, exitCode: status.exitCode, signal: status.signal, stderrTail: channel.stderrTail.text()))",
                    &resumptions)
            }
        }
    }

    private func outcome(
        of job: WorkerChannel.InFlightJob, _ channel: WorkerChannel,
        _ status: (exitCode: Int32?, signal: Int32?)
    ) -> WorkerOutcome {
        switch job.killReason {
        case .timeout: return .timedOut(job.timeout ?? .zero)
        case .cancelled: return .cancelled
        case nil:
            var tail = channel.stderrTail
            var fatal: String?
            if let path = job.outputPath {
                tail.append(Self.bytes(of: path, from: job.outputOffset))
                fatal = Self.fatalErrorLine(of: path, from: job.outputOffset)
            }
            return .crashed(
                WorkerCrash(
                    pid: channel.pid, exitCode: status.exitCode, signal: status.signal,
                    stderrTail: tail.text(), fatalError: fatal))
        }
    }

    /// Waits for `pid`; if it closed its pipe but lingers, kills it after 200 ms.
    private func reap(_ pid: pid_t) -> (exitCode: Int32?, signal: Int32?) {
        var status: Int32 = 0
        var reaped = false
        for _ in 0..<200 {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { reaped = true; break }
            if result < 0 && errno != EINTR { return (nil, nil) }
            usleep(1000)
        }
        if !reaped {
            kill(pid, SIGKILL)
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        let signal = status & 0x7f
        if signal == 0 { return ((status >> 8) & 0xff, nil) }
        return (nil, signal)
    }

    /// The Swift runtime's `Fatal error: …` line in a job's output since `offset` (its first
    /// 256 KiB), which a long crash backtrace pushes out of the tail.
    private static func fatalErrorLine(of path: String, from offset: Int) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let size = min(fileSize(path) - offset, 256 * 1024)
        guard size > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: size)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
        guard count > 0 else { return nil }
        return WorkerCrash.fatalErrorLine(in: String(decoding: bytes.prefix(count), as: UTF8.self))
    }

    /// The last bytes of a job's output file written since `offset` (at most the tail capacity).
    private static func bytes(of path: String, from offset: Int) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        let size = fileSize(path)
        let start = max(offset, size - StderrTail.capacity)
        guard size > start else { return [] }
        var bytes = [UInt8](repeating: 0, count: size - start)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
        return count > 0 ? Array(bytes.prefix(count)) : []
    }
}
