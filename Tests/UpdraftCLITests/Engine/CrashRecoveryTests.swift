import Foundation
import Testing
import UpdraftCore
import UpdraftStore

/// Real processes: kill -9 the owner of a run, restart, check exactly-once of successful tasks.
@Suite(.serialized, .timeLimit(.minutes(10))) struct CrashRecoveryTests {
    func markers(_ folder: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            let text = (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? ""
            result[name] = text.split(separator: "\n").map(String.init)
        }
        return result
    }

    @Test func killNineMidRunThenResumeRunsNoSuccessfulTaskTwice() async throws {
        let cli = try BinaryHarness()
        let markerDir = cli.home + "/markers"
        let conf = #"{"n": 24, "sleep_ms": 120, "marker_dir": "\#(markerDir)"}"#
        let (owner, _, _) = try cli.start(["dags", "trigger", "bench_chain", "--conf", conf, "--wait", "--parallelism", "2"])
        // Watched from a thread of its own, not the test's task: under a parallel test run the
        // cooperative pool can be busy long enough for the whole chain to end before the kill.
        let progressed = BinaryHarness.signal(owner, SIGKILL, when: { markers(markerDir).count >= 6 })
        #expect(progressed)
        #expect(owner.terminationReason == .uncaughtSignal)

        let store = try cli.store()
        let run = try #require(try await store.runs(RunQuery(dagId: "bench_chain")).first)
        #expect(run.state == .running)
        let before = try await store.taskInstances(run: run.key)
        let succeeded = Set(before.filter { $0.state == .success }.map(\.taskId))
        let cutOff = before.filter { $0.state == .running && $0.kind == "task" }.map(\.taskId)
        #expect(succeeded.count >= 4)
        let linesBefore = markers(markerDir)

        // Restart: a scheduler sees the owner is dead and takes the run over at once.
        let (scheduler, _, _) = try cli.start(["scheduler", "--parallelism", "2"])
        let finished = try await BinaryHarness.waitUntil(while: scheduler) { try await store.run(run.key)?.state.isTerminal == true }
        scheduler.terminate()
        scheduler.waitUntilExit()
        #expect(finished)
        #expect(scheduler.terminationStatus == 0)

        #expect(try await store.run(run.key)?.state == .success)
        let after = try await store.taskInstances(run: run.key)
        #expect(after.filter { $0.kind == "task" }.count == 24)
        #expect(after.allSatisfy { $0.state == .success })
        let linesAfter = markers(markerDir)
        for task in succeeded {
            #expect(linesAfter[task] == linesBefore[task], "\(task) succeeded before the kill and ran again")
            #expect(linesAfter[task]?.count == 1)
        }
        for task in cutOff {
            let tries = try await store.tries(run: run.key, taskId: task)
            #expect(tries.first?.state == .interrupted, "\(task): \(tries)")
            let instance = try #require(after.first { $0.taskId == task })
            #expect(instance.failedTries == 0)
            #expect(instance.tryNumber == 2)
        }
        #expect(try await store.leases().isEmpty)
    }

    @Test func sigtermHandsRunningTriesBackAndTheRunResumes() async throws {
        let cli = try BinaryHarness()
        let markerDir = cli.home + "/markers"
        let conf = #"{"n": 12, "sleep_ms": 300, "marker_dir": "\#(markerDir)"}"#
        let (owner, _, errors) = try cli.start(["dags", "trigger", "bench_chain", "--conf", conf, "--wait", "--parallelism", "1"])
        let store = try cli.store()
        #expect(try await BinaryHarness.waitUntil(while: owner) { markers(markerDir).count >= 2 })
        // SIGTERM must find a try running, however the timing falls: freeze the owner's worker,
        // then wait until the store shows a try running whose task has not written its marker
        // (written last, before the reply): that try cannot end while the worker is frozen. (A
        // try that had marked and replied just before the freeze ends, and the next one starts
        // on the frozen worker: marked running before its request is sent.)
        for worker in BinaryHarness.children(of: owner.processIdentifier) { kill(worker, SIGSTOP) }
        #expect(
            try await BinaryHarness.waitUntil(while: owner) {
                guard let run = try await store.runs(RunQuery(dagId: "bench_chain")).first else { return false }
                let marked = markers(markerDir)
                return try await store.taskInstances(run: run.key)
                    .contains { $0.kind == "task" && $0.state == .running && marked[$0.taskId] == nil }
            })
        owner.terminate()
        owner.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(owner.terminationStatus == 1)
        #expect(message.contains("handed back"))
        let run = try #require(try await store.runs(RunQuery(dagId: "bench_chain")).first)
        #expect(run.state == .running)
        #expect(try await store.leases().isEmpty)
        let instances = try await store.taskInstances(run: run.key).filter { $0.kind == "task" }
        #expect(!instances.contains { $0.state == .running })
        let handedBack = instances.filter { $0.state == .scheduled }
        #expect(handedBack.count == 1)
        for task in handedBack {
            // The try the shutdown cut off is recorded interrupted. If the running try's reply
            // won the race with SIGTERM, it succeeded and the next task was handed back unstarted.
            let tries = try await store.tries(run: run.key, taskId: task.taskId)
            #expect(tries.isEmpty || tries.last?.state == .interrupted, "\(task.taskId): \(tries); owner said: \(message)")
        }
        let (scheduler, _, _) = try cli.start(["scheduler", "--parallelism", "2"])
        let finished = try await BinaryHarness.waitUntil(while: scheduler) { try await store.run(run.key)?.state.isTerminal == true }
        scheduler.terminate()
        scheduler.waitUntilExit()
        #expect(finished)
        #expect(try await store.run(run.key)?.state == .success)
    }

    /// Issue 8.7: a `dags trigger --wait` killed with -9 leaves its run to `runs resume`, which
    /// takes it over without a scheduler.
    @Test func runsResumeTakesOverTheRunOfAKilledWait() async throws {
        let cli = try BinaryHarness()
        let markerDir = cli.home + "/markers"
        let conf = #"{"n": 12, "sleep_ms": 100, "marker_dir": "\#(markerDir)"}"#
        let (owner, _, _) = try cli.start(["dags", "trigger", "bench_chain", "--conf", conf, "--wait", "--parallelism", "1"])
        #expect(try await BinaryHarness.waitUntil(while: owner) { markers(markerDir).count >= 3 })
        kill(owner.processIdentifier, SIGKILL)
        owner.waitUntilExit()
        let store = try cli.store()
        let run = try #require(try await store.runs(RunQuery(dagId: "bench_chain")).first)
        #expect(try await store.run(run.key)?.state == .running)
        let resumed = try cli.run(["runs", "resume", run.runId, "--parallelism", "1"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("ended success"))
        #expect(try await store.run(run.key)?.state == .success)
        // Every task ran; only the try that the kill cut off may have run twice.
        #expect(markers(markerDir).count == 12)
        #expect(markers(markerDir).values.filter { $0.count > 1 }.count <= 1)
    }

    @Test func trapAndTimeoutFailOnlyTheirOwnTries() async throws {
        let cli = try BinaryHarness()
        let result = try cli.run(["dags", "trigger", "bench_crash", "--wait", "--parallelism", "2"])
        #expect(result.status == 1)
        let store = try cli.store()
        let run = try #require(try await store.runs(RunQuery(dagId: "bench_crash")).first)
        let states = Dictionary(try await store.taskInstances(run: run.key).map { ($0.taskId, $0) }, uniquingKeysWith: { $1 })
        #expect(states["trap"]?.state == .failed)
        #expect(states["trap"]?.error?.contains("worker crashed") == true)
        #expect(states["hang"]?.state == .failed)
        #expect(states["hang"]?.error?.contains("executionTimeout") == true)
        for index in 1...3 { #expect(states["ok_\(index)"]?.state == .success) }
        let log = try cli.run(["tasks", "logs", run.runId, "trap"])
        #expect(log.status == 0)
        #expect(log.stdout.contains("deliberate trap"))
        #expect(log.stdout.contains("Worker crashed"))
    }
}
