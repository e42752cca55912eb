import Foundation
import Testing
import UpdraftCore
import UpdraftStore

/// Real processes: a run's owner hands a worker pool more tries than it has workers; those wait
/// in the pool's queue, recorded `queued`, and become `running` when a worker takes them.
@Suite(.serialized, .timeLimit(.minutes(10))) struct QueuedTriesTests {
    func markers(_ folder: String) -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
    }

    /// Stops `owner`'s workers (SIGSTOP) as soon as a marker file appears in `folder`, polling
    /// every 2 ms on a thread of its own (the test's pool may be busy with other suites): the try
    /// a frozen worker holds cannot end, so the states around it hold still. False when the owner
    /// exited first.
    func freezeWorkers(of owner: Process, whenMarked folder: String) async -> Bool {
        await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            Thread.detachNewThread {
                while owner.isRunning {
                    if !markers(folder).isEmpty {
                        for worker in BinaryHarness.children(of: owner.processIdentifier) { kill(worker, SIGSTOP) }
                        done.resume(returning: true)
                        return
                    }
                    usleep(2_000)
                }
                done.resume(returning: false)
            }
        }
    }

    /// The six tasks of the fan-out's run, none before the run exists.
    func tasks(_ store: SQLiteStateStore) async throws -> [TaskInstance] {
        guard let run = try await store.runs(RunQuery(dagId: "bench_fanout")).first else { return [] }
        return try await store.taskInstances(run: run.key).filter { $0.kind == "task" }
    }

    /// Starts a fan-out of six 500 ms tasks on one worker, and freezes that worker after its first
    /// try: it holds one try (running), and the others wait for it.
    func startFrozenFanout(_ cli: BinaryHarness) async throws -> (owner: Process, errors: Pipe, markers: String) {
        let markerDir = cli.home + "/markers"
        let conf = #"{"n": 6, "sleep_ms": 500, "marker_dir": "\#(markerDir)"}"#
        let (owner, _, errors) = try cli.start(["dags", "trigger", "bench_fanout", "--conf", conf, "--wait", "--parallelism", "1"])
        #expect(await freezeWorkers(of: owner, whenMarked: markerDir))
        return (owner, errors, markerDir)
    }

    @Test func triesBeyondTheWorkersAreQueuedUntilAWorkerTakesThem() async throws {
        let cli = try BinaryHarness()
        let (owner, errors, _) = try await startFrozenFanout(cli)
        let store = try cli.store()
        // The tries that wait for the frozen worker are `queued`, with no start date.
        var handed: [TaskInstance] = []
        let handedOver = try await BinaryHarness.waitUntil(while: owner) {
            handed = try await tasks(store)
            return handed.count == 6 && handed.allSatisfy { $0.state.isActive || $0.state == .success }
                && handed.contains { $0.state == .running }
        }
        #expect(handedOver)
        let queued = handed.filter { $0.state == .queued }
        #expect(handed.filter { $0.state == .running }.count == 1 && queued.count >= 2, "\(handed.map(\.state))")
        for task in queued { #expect(task.startDate == nil && task.tryNumber == 1, "\(task)") }
        for worker in BinaryHarness.children(of: owner.processIdentifier) { kill(worker, SIGCONT) }
        owner.waitUntilExit()
        #expect(owner.terminationStatus == 0, "\(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")

        let run = try #require(try await store.runs(RunQuery(dagId: "bench_fanout")).first)
        let finished = try await tasks(store)
        #expect(finished.count == 6 && finished.allSatisfy { $0.state == .success && $0.tryNumber == 1 })
        // A try's start is when the worker took it, so on one worker the tries do not overlap.
        let spans = finished.compactMap { task in task.startDate.flatMap { start in task.endDate.map { (start, $0) } } }
            .sorted { $0.0 < $1.0 }
        #expect(spans.count == 6)
        for (earlier, later) in zip(spans, spans.dropFirst()) {
            #expect(later.0 >= earlier.1, "a try started at \(later.0), before the one before it ended at \(earlier.1)")
        }
        for task in finished {
            let tries = try await store.tries(run: run.key, taskId: task.taskId)
            #expect(tries.map(\.startDate) == [task.startDate], "\(task.taskId): \(tries)")
        }
    }

    @Test func killNineWithTriesQueuedRunsThemAgainOnTakeoverWithoutUsingARetry() async throws {
        let cli = try BinaryHarness()
        let (owner, _, markerDir) = try await startFrozenFanout(cli)
        let store = try cli.store()
        let ready = try await BinaryHarness.waitUntil(while: owner) {
            let now = try await tasks(store)
            return now.filter { $0.state == .queued }.count >= 2 && now.contains { $0.state == .running }
        }
        #expect(ready)
        kill(owner.processIdentifier, SIGKILL)
        owner.waitUntilExit()
        let run = try #require(try await store.runs(RunQuery(dagId: "bench_fanout")).first)
        let atKill = try await tasks(store)
        let queuedAtKill = atKill.filter { $0.state == .queued }
        let succeeded = atKill.filter { $0.state == .success }
        #expect(!queuedAtKill.isEmpty)

        // Taken over by `runs resume` (a scheduler would also run the other DAGs' due runs).
        let resumed = try cli.run(["runs", "resume", run.runId, "--parallelism", "1"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try await store.run(run.key)?.state == .success)
        let after = Dictionary(
            try await store.taskInstances(run: run.key).map { ($0.taskId, $0) }, uniquingKeysWith: { $1 })
        for task in succeeded { #expect(after[task.taskId]?.tryNumber == 1, "\(task.taskId) ran again") }
        for task in queuedAtKill {
            let tries = try await store.tries(run: run.key, taskId: task.taskId)
            #expect(tries.map(\.state) == [.interrupted, .success], "\(task.taskId): \(tries)")
            #expect(tries.first?.error?.contains("while this try was queued") == true, "\(task.taskId): \(tries)")
            #expect(after[task.taskId]?.failedTries == 0)
            #expect(after[task.taskId]?.tryNumber == 2)
        }
        #expect(markers(markerDir).count == 6)
    }
}
