import Foundation
import Testing
import UpdraftWorkers

@Suite("WorkerPool")
struct WorkerPoolTests {
    @Test("a job's reply comes back byte for byte")
    func echo() async throws {
        let pool = WorkerFixture.pool(size: 2)
        try await pool.start()
        #expect(await pool.livePIDs.count == 2)
        #expect(await pool.run(WorkerFixture.job("echo hello, worker")) == .replied(Array("hello, worker".utf8)))
        let big = await pool.run(WorkerFixture.job("bytes 300000"))
        #expect(big == .replied((0..<300_000).map { UInt8(truncatingIfNeeded: $0) }))
        let pidText = try #require(await pool.run(WorkerFixture.job("pid")).text)
        let pid = try #require(Int32(pidText))
        #expect(await pool.livePIDs.contains(pid))
        #expect(pid != getpid())
        await pool.shutdown()
        #expect(await pool.livePIDs.isEmpty)
        #expect(!WorkerFixture.isRunning(pid))
    }

    @Test("many concurrent jobs each get their own reply")
    func concurrentJobs() async throws {
        let pool = WorkerFixture.pool(size: 2)
        try await pool.start()
        let replies = await withTaskGroup(of: (Int, WorkerOutcome).self) { group in
            for index in 0..<2000 {
                group.addTask { (index, await pool.run(WorkerFixture.job("echo job-\(index)"))) }
            }
            var replies: [Int: WorkerOutcome] = [:]
            for await (index, outcome) in group { replies[index] = outcome }
            return replies
        }
        #expect(replies.count == 2000)
        #expect(replies.allSatisfy { $0.value.text == "job-\($0.key)" })
        #expect(await pool.livePIDs.count == 2)
        await pool.shutdown()
    }

    @Test("workers start lazily on the first job")
    func lazyStart() async throws {
        let pool = WorkerFixture.pool(size: 3)
        #expect(await pool.livePIDs.isEmpty)
        #expect(await pool.run(WorkerFixture.job("echo lazy")).text == "lazy")
        #expect(await pool.livePIDs.count == 1)
        await pool.shutdown()
    }

    @Test("idle workers exit after the idle timeout, the next job starts one, and retiring is no crash")
    func idleWorkersRetire() async throws {
        // Three workers that never served a job retire: three "deaths at start-up" would make
        // the pool give up on its binary, so a retirement must not count as one.
        // (`start` returns once all three are spawned; on a loaded machine some may already have
        // retired by the time their pids are read, so only the survivors are listed here.)
        let pool = WorkerFixture.pool(size: 3, idleTimeout: .milliseconds(100))
        try await pool.start()
        let first = await pool.livePIDs
        #expect(first.count <= 3)
        try await Self.waitUntil { await pool.livePIDs.isEmpty }
        for pid in first { #expect(!WorkerFixture.isRunning(pid)) }
        let pidText = try #require(await pool.run(WorkerFixture.job("pid")).text)
        let pid = try #require(Int32(pidText))
        #expect(!first.contains(pid))
        // A busy worker is not idle: a job longer than the timeout still replies.
        #expect(await pool.run(WorkerFixture.job("sleep 0.3")).text == "slept")
        try await Self.waitUntil { await pool.livePIDs.isEmpty }
        #expect(await pool.run(WorkerFixture.job("echo again")).text == "again")
        await pool.shutdown()
        #expect(await pool.livePIDs.isEmpty)
    }

    @Test("workers get huge pages for malloc unless GLIBC_TUNABLES is set")
    func workerEnvironment() async throws {
        let pool = WorkerFixture.pool(size: 1)
        let expected = ProcessInfo.processInfo.environment["GLIBC_TUNABLES"] ?? "glibc.malloc.hugetlb=1"
        #expect(await pool.run(WorkerFixture.job("env GLIBC_TUNABLES")).text == expected)
        await pool.shutdown()
    }

    @Test("a worker starts with every signal at its default, though its parent ignores SIGPIPE")
    func workerSignals() async throws {
        let pool = WorkerFixture.pool(size: 1)
        // The supervisor ignores SIGPIPE in this process before it spawns a worker.
        let text = try #require(await pool.run(WorkerFixture.job("ignored-signals")).text)
        let mask = try #require(UInt64(text, radix: 16))
        #expect(mask & (1 << (UInt64(SIGPIPE) - 1)) == 0, "the worker ignores signals \(String(mask, radix: 16))")
        await pool.shutdown()
    }

    /// Waits for `condition`, however long the machine takes (a minute at most, then fails).
    static func waitUntil(_ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !(await condition()) {
            try #require(ContinuousClock.now < deadline, "the condition never held")
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("a trap crashes only its worker; a fresh one replaces it", arguments: ["trap boom", "index"])
    func trap(command: String) async throws {
        let pool = WorkerFixture.pool(size: 2)
        try await pool.start()
        let before = await pool.livePIDs
        async let slow = pool.run(WorkerFixture.job("sleep 0.5"))
        let crash = try #require(await pool.run(WorkerFixture.job(command)).crash)
        #expect(before.contains(crash.pid))
        #expect(crash.signal == SIGILL || crash.signal == SIGTRAP)
        #expect(crash.exitCode == nil)
        #expect(crash.stderrTail.contains("Fatal error"))
        if command == "trap boom" { #expect(crash.stderrTail.contains("fixture trap: boom")) }
        #expect(crash.description.hasPrefix("worker \(crash.pid) was killed by signal"))
        #expect(await slow.text == "slept")
        #expect(await pool.run(WorkerFixture.job("echo still here")).text == "still here")
        let after = await pool.livePIDs
        #expect(after.count == 2)
        #expect(!after.contains(crash.pid))
        #expect(!WorkerFixture.isRunning(crash.pid))
        await pool.shutdown()
    }

    @Test("exit in a job is a crash with the exit code")
    func exitCode() async throws {
        let pool = WorkerFixture.pool(size: 1)
        let crash = try #require(await pool.run(WorkerFixture.job("exit 3")).crash)
        #expect(crash.exitCode == 3)
        #expect(crash.signal == nil)
        #expect(crash.description == "worker \(crash.pid) exited with code 3")
        #expect(await pool.run(WorkerFixture.job("echo next")).text == "next")
        await pool.shutdown()
    }

    @Test("a job past its timeout is killed and its worker replaced")
    func timeout() async throws {
        let pool = WorkerFixture.pool(size: 2)
        try await pool.start()
        let before = await pool.livePIDs
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = await pool.run(WorkerFixture.job("sleep 30", timeout: .milliseconds(300)))
        #expect(outcome == .timedOut(.milliseconds(300)))
        #expect(start.duration(to: clock.now) < .seconds(30))  // killed: the job itself lasts 30 s
        #expect(await pool.run(WorkerFixture.job("echo after", timeout: .seconds(10))).text == "after")
        let after = await pool.livePIDs
        #expect(after.count == 2)
        #expect(Set(before).subtracting(after).count == 1)
        for pid in Set(before).subtracting(after) { #expect(!WorkerFixture.isRunning(pid)) }
        await pool.shutdown()
    }

    @Test("cancelling the awaiting task kills that worker")
    func cancellation() async throws {
        let pool = WorkerFixture.pool(size: 1)
        try await pool.start()
        let victim = try #require(await pool.livePIDs.first)
        let outcome = await withTaskGroup(of: WorkerOutcome.self) { group in
            let hold = WorkerFixture.holdJob()
            group.addTask { await pool.run(hold.job) }
            try? await WorkerFixture.waitUntilHeld(hold.marker)  // the job is in the worker: cancel now
            group.cancelAll()
            return await group.next()!
        }
        #expect(outcome == .cancelled)
        #expect(await pool.run(WorkerFixture.job("echo fresh")).text == "fresh")
        #expect(await pool.livePIDs != [victim])
        #expect(!WorkerFixture.isRunning(victim))
        await pool.shutdown()
    }

    @Test("queued jobs go to the next free worker by priority, then in the order they came; started follows the completion that freed it")
    func queuedJobsGoByPriority() async throws {
        let pool = WorkerFixture.pool(size: 1)
        try await pool.start()
        let hold = WorkerFixture.holdJob()
        let first = try #require(pool.submit(hold.job) { _ in })
        #expect(!first.waiting)
        try await WorkerFixture.waitUntilHeld(hold.marker)
        let events = Guarded<[String]>([])
        let all = AsyncStream<Void>.makeStream()
        for (word, priority) in [("low", 1), ("high", 5), ("mid", 3), ("high2", 5)] {
            var job = WorkerFixture.job("echo \(word)")
            job.priority = priority
            let submission = try #require(
                pool.submit(job, started: { events.withLock { $0.append("start \(word)") } }) { outcome in
                    events.withLock { $0.append("end \(outcome.text ?? "\(outcome)")") }
                    all.continuation.yield()
                })
            #expect(submission.waiting)
        }
        first.cancel()
        var iterator = all.stream.makeAsyncIterator()
        for _ in 0..<4 { _ = await iterator.next() }
        #expect(
            events.withLock { $0 } == [
                "start high", "end high", "start high2", "end high2", "start mid", "end mid", "start low", "end low",
            ])
        await pool.shutdown()
    }

    @Test("submit sends a job to an idle worker at once and reports its outcome once; with none idle it queues the job")
    func submitToIdleWorker() async throws {
        let pool = WorkerFixture.pool(size: 1)
        try await pool.start()
        let replied = try #require(await Self.submitted(pool, WorkerFixture.job("echo submitted")))
        #expect(replied.text == "submitted")
        // The only worker is busy: later submissions wait in order for it, and one cancelled while
        // it waits ends `.cancelled` at once, once, and kills no worker.
        let hold = WorkerFixture.holdJob()
        let held = Guarded<[WorkerOutcome]>([])
        let submission = try #require(pool.submit(hold.job) { outcome in held.withLock { $0.append(outcome) } })
        try await WorkerFixture.waitUntilHeld(hold.marker)
        let order = Guarded<[String]>([])
        let both = AsyncStream<Void>.makeStream()
        for word in ["first", "second"] {
            _ = try #require(
                pool.submit(WorkerFixture.job("echo \(word)")) { outcome in
                    order.withLock { $0.append(outcome.text ?? "\(outcome)") }
                    both.continuation.yield()
                })
        }
        let dropped = Guarded<[WorkerOutcome]>([])
        let withdrawn = try #require(pool.submit(WorkerFixture.job("echo withdrawn")) { o in dropped.withLock { $0.append(o) } })
        let worker = try #require(await pool.livePIDs.first)
        withdrawn.cancel()
        withdrawn.cancel()
        #expect(dropped.withLock { $0 } == [.cancelled])
        #expect(await pool.livePIDs == [worker])
        // Cancelling the running job kills its worker; the replacement serves the queue in order.
        submission.cancel()
        submission.cancel()
        var iterator = both.stream.makeAsyncIterator()
        _ = await iterator.next()
        _ = await iterator.next()
        #expect(order.withLock { $0 } == ["first", "second"])
        try await Self.waitUntil { held.withLock { !$0.isEmpty } }
        #expect(held.withLock { $0 } == [.cancelled])
        #expect(dropped.withLock { $0 } == [.cancelled])
        #expect(!WorkerFixture.isRunning(worker))
        await pool.shutdown()
        #expect(pool.submit(WorkerFixture.job("echo closed")) { _ in } == nil)
    }

    @Test("a queued request larger than the pipe holds reaches the worker whole")
    func largeQueuedRequest() async throws {
        let pool = WorkerFixture.pool(size: 1)
        let busy = try await WorkerFixture.occupy(pool)
        // Queued behind the hold, so the I/O thread sends it (from another thread: it does not fit).
        let text = String(repeating: "0123456789", count: 30_000)
        let replied = AsyncStream<WorkerOutcome>.makeStream()
        _ = try #require(pool.submit(WorkerFixture.job("echo \(text)")) { replied.continuation.yield($0) })
        busy.cancel()
        #expect(await busy.value == .cancelled)
        var iterator = replied.stream.makeAsyncIterator()
        #expect(await iterator.next()?.text == text)
        await pool.shutdown()
    }

    @Test("jobs queued by submit when the pool shuts down end as a crash naming the shutdown")
    func queuedJobsAtShutdown() async throws {
        let pool = WorkerFixture.pool(size: 1)
        let busy = try await WorkerFixture.occupy(pool)
        let ended = AsyncStream<WorkerOutcome>.makeStream()
        _ = try #require(pool.submit(WorkerFixture.job("echo never")) { ended.continuation.yield($0) })
        // The only worker holds its job until cancelled: the queued job cannot have run.
        let stopping = Task { await pool.shutdown() }
        var iterator = ended.stream.makeAsyncIterator()
        let outcome = await iterator.next()
        #expect(outcome?.crash?.stderrTail == "the worker pool is shut down")
        busy.cancel()
        _ = await busy.value
        await stopping.value
    }

    @Test("a submitted job past its timeout is killed like a run one")
    func submitTimeout() async throws {
        let pool = WorkerFixture.pool(size: 1)
        try await pool.start()
        let outcome = await Self.submitted(pool, WorkerFixture.job("sleep 30", timeout: .milliseconds(200)))
        #expect(outcome == .timedOut(.milliseconds(200)))
        #expect(await pool.run(WorkerFixture.job("echo after")).text == "after")
        await pool.shutdown()
    }

    /// Submits `job` and waits for its completion; nil if the pool refused it (stopping).
    static func submitted(_ pool: WorkerPool, _ job: WorkerJob) async -> WorkerOutcome? {
        let stream = AsyncStream<WorkerOutcome>.makeStream()
        guard pool.submit(job, completion: { stream.continuation.yield($0) }) != nil else { return nil }
        var iterator = stream.stream.makeAsyncIterator()
        return await iterator.next()
    }

    @Test("a task cancelled while waiting for a worker leaves the pool intact")
    func cancelWhileWaiting() async throws {
        let pool = WorkerFixture.pool(size: 1)
        try await pool.start()
        let worker = try #require(await pool.livePIDs.first)
        // The busy job holds the only worker far longer than the test needs, however loaded the machine.
        let hold = WorkerFixture.holdJob()
        let busy = Task { await pool.run(hold.job) }
        try await WorkerFixture.waitUntilHeld(hold.marker)
        let waiter = Task { await pool.run(WorkerFixture.job("echo never")) }
        try await Task.sleep(for: .milliseconds(100))
        waiter.cancel()
        #expect(await waiter.value == .cancelled)
        #expect(await pool.livePIDs == [worker])  // cancelling a waiting job kills no worker
        busy.cancel()
        #expect(await busy.value == .cancelled)
        #expect(await pool.run(WorkerFixture.job("echo fresh")).text == "fresh")
        await pool.shutdown()
    }

    @Test("print output of a job is appended to its output file, and only there")
    func outputCapture() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-workers-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("try-1.log").path
        let pool = WorkerFixture.pool(size: 1)
        #expect(await pool.run(WorkerFixture.job("print first", outputPath: log)).text == "printed")
        #expect(await pool.run(WorkerFixture.job("print second", outputPath: log)).text == "printed")
        // A folder that does not exist yet is made for the file.
        let other = directory.appendingPathComponent("run/other.log").path
        #expect(await pool.run(WorkerFixture.job("print third", outputPath: other)).text == "printed")
        #expect(
            try String(contentsOfFile: log, encoding: .utf8)
                == "out: first\nerr: first\nout: second\nerr: second\n")
        #expect(try String(contentsOfFile: other, encoding: .utf8) == "out: third\nerr: third\n")
        // The worker's streams stay on a job's file after it; a job without one gets them back.
        #expect(await pool.run(WorkerFixture.job("print fourth")).text == "printed")
        #expect(try String(contentsOfFile: other, encoding: .utf8) == "out: third\nerr: third\n")
        await pool.shutdown()
    }

    @Test(
        "a task preferring the I/O executor resumes on the thread that read the reply while no other job is in flight, elsewhere while one is"
    )
    func ioExecutor() async throws {
        let pool = WorkerFixture.pool(size: 2)
        try await pool.start()
        // A reply that comes before the task has finished suspending resumes it where it is
        // (Swift's rule, not the pool's): such a round does not count, the next one does.
        var alone: ResumeThreads?
        for _ in 0..<50 where alone == nil {
            let round = try #require(await Self.threads(resuming: pool, WorkerFixture.job("echo alone")))
            if round.resumed != round.submitter { alone = round }
        }
        let resumed = try #require(alone)
        #expect(resumed.resumed == resumed.reader)
        let hold = WorkerFixture.holdJob()
        let busy = Task { await pool.run(hold.job) }
        try await WorkerFixture.waitUntilHeld(hold.marker)
        // Never on the reader here, whether the task suspended or not (a pool thread may be the
        // submitter's again): a few rounds, so that a task kept on the I/O thread cannot pass.
        for _ in 0..<5 {
            let beside = try #require(await Self.threads(resuming: pool, WorkerFixture.job("echo beside")))
            #expect(beside.resumed != beside.reader)
        }
        busy.cancel()
        #expect(await busy.value == .cancelled)
        await pool.shutdown()
    }

    /// The threads of one round of ``threads(resuming:_:)``.
    struct ResumeThreads {
        var submitter: pthread_t
        var reader: pthread_t
        var resumed: pthread_t
    }

    /// Submits `job` from a task that prefers the pool's I/O executor and waits for its completion:
    /// the thread that submitted it, the one that ran the completion and the one the task resumed
    /// on; nil if the pool refused it (stopping).
    static func threads(resuming pool: WorkerPool, _ job: WorkerJob) async -> ResumeThreads? {
        await withTaskExecutorPreference(pool.ioExecutor) {
            let submitter = pthread_self()
            let reader = Guarded<pthread_t?>(nil)
            let submitted: Bool = await withCheckedContinuation { continuation in
                let submission = pool.submit(job) { _ in
                    reader.withLock { $0 = pthread_self() }
                    continuation.resume(returning: true)
                }
                if submission == nil { continuation.resume(returning: false) }
            }
            guard submitted, let thread = reader.withLock({ $0 }) else { return nil }
            return ResumeThreads(submitter: submitter, reader: thread, resumed: pthread_self())
        }
    }

    @Test("a crash inside a captured job reports the captured stderr")
    func crashTailFromOutputFile() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-crash-\(UUID()).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let pool = WorkerFixture.pool(size: 1)
        let crash = try #require(await pool.run(WorkerFixture.job("trap logged", outputPath: log)).crash)
        #expect(crash.stderrTail.contains("fixture trap: logged"))
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("fixture trap: logged"))
        await pool.shutdown()
    }

    @Test("a crash report quotes the output file from where the job began, or from outputStart when given")
    func crashTailStartsAtTheJob() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-crash-\(UUID()).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        try "earlier: Fatal error: from an earlier job\n".write(toFile: log, atomically: false, encoding: .utf8)
        let pool = WorkerFixture.pool(size: 1)
        let fresh = try #require(await pool.run(WorkerFixture.job("exit 3", outputPath: log)).crash)
        #expect(!fresh.stderrTail.contains("earlier"))
        let whole = try #require(await pool.run(WorkerFixture.job("exit 3", outputPath: log, outputStart: 0)).crash)
        #expect(whole.stderrTail.contains("from an earlier job"))
        await pool.shutdown()
    }

    @Test("an output file that cannot be opened is a crash naming the file")
    func unwritableOutput() async throws {
        // Under a regular file: no folder can be made there, not even by root.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-not-a-folder-\(UUID())").path
        FileManager.default.createFile(atPath: file, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: file) }
        let pool = WorkerFixture.pool(size: 1)
        // The worker's streams are on an earlier job's file: its last words still reach the pool.
        let earlier = file + ".earlier.log"
        defer { try? FileManager.default.removeItem(atPath: earlier) }
        #expect(await pool.run(WorkerFixture.job("print before", outputPath: earlier)).text == "printed")
        let crash = try #require(await pool.run(WorkerFixture.job("echo x", outputPath: file + "/dir/x.log")).crash)
        #expect(crash.exitCode == 73)
        #expect(crash.stderrTail.contains("cannot open output file '\(file)/dir/x.log'"))
        #expect(try String(contentsOfFile: earlier, encoding: .utf8) == "out: before\nerr: before\n")
        #expect(await pool.run(WorkerFixture.job("echo ok")).text == "ok")
        await pool.shutdown()
    }

    @Test("a missing executable is a spawn error naming it")
    func missingExecutable() async {
        let pool = WorkerPool(WorkerPoolConfiguration(size: 1, executable: "/nonexistent/updraft"))
        await #expect {
            try await pool.start()
        } throws: { error in
            (error as? WorkerSpawnError)?.description
                == "cannot start worker '/nonexistent/updraft': No such file or directory (posix_spawn)"
        }
        let crash = await pool.run(WorkerFixture.job("echo x")).crash
        #expect(crash?.stderrTail.contains("cannot start worker '/nonexistent/updraft'") == true)
        await pool.shutdown()
    }

    @Test("after shutdown, jobs are refused and no worker is left")
    func runAfterShutdown() async throws {
        let pool = WorkerFixture.pool(size: 2)
        try await pool.start()
        let pids = await pool.livePIDs
        await pool.shutdown()
        #expect(pids.allSatisfy { !WorkerFixture.isRunning($0) })
        #expect(await pool.run(WorkerFixture.job("echo x")).crash?.stderrTail == "the worker pool is shut down")
    }
}

/// A value shared with a completion that runs on the pool's I/O thread.
final class Guarded<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
