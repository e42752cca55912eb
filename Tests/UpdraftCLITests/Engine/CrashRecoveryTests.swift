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

    @Test func killNineMidRunThenResumeRunsNoSuccessfulTaskTwice() throws {
        let cli = try BinaryHarness()
        let markerDir = cli.home + "/markers"
        let conf = #"{"n": 24, "sleep_ms": 120, "marker_dir": "\#(markerDir)"}"#
        let (owner, _, _) = try cli.start(["dags", "trigger", "bench_chain", "--conf", conf, "--wait", "--parallelism", "2"])
        let progressed = try BinaryHarness.waitUntil(while: owner) { markers(markerDir).count >= 6 }
        #expect(progressed)
        kill(owner.processIdentifier, SIGKILL)
        owner.waitUntilExit()
        #expect(owner.terminationReason == .uncaughtSignal)

        let store = try cli.store()
        let run = try #require(try store.runs(RunQuery(dagId: "bench_chain")).first)
        #expect(run.state == .running)
        let before = try store.taskInstances(runId: run.runId)
        let succeeded = Set(before.filter { $0.state == .success }.map(\.taskId))
        let cutOff = before.filter { $0.state == .running && $0.kind == "task" }.map(\.taskId)
        #expect(succeeded.count >= 4)
        let linesBefore = markers(markerDir)

        // Restart: a scheduler sees the owner is dead and takes the run over at once.
        let (scheduler, _, _) = try cli.start(["scheduler", "--parallelism", "2"])
        let finished = try BinaryHarness.waitUntil(while: scheduler) { try store.run(run.runId)?.state.isTerminal == true }
        scheduler.terminate()
        scheduler.waitUntilExit()
        #expect(finished)
        #expect(scheduler.terminationStatus == 0)

        #expect(try store.run(run.runId)?.state == .success)
        let after = try store.taskInstances(runId: run.runId)
        #expect(after.filter { $0.kind == "task" }.count == 24)
        #expect(after.allSatisfy { $0.state == .success })
        let linesAfter = markers(markerDir)
        for task in succeeded {
            #expect(linesAfter[task] == linesBefore[task], "\(task) succeeded before the kill and ran again")
            #expect(linesAfter[task]?.count == 1)
        }
        for task in cutOff {
            let tries = try store.tries(runId: run.runId, taskId: task)
            #expect(tries.first?.state == .interrupted, "\(task): \(tries)")
            let instance = try #require(after.first { $0.taskId == task })
            #expect(instance.failedTries == 0)
            #expect(instance.tryNumber == 2)
        }
        #expect(try store.leases().isEmpty)
    }

    @Test func sigtermHandsRunningTriesBackAndTheRunResumes() throws {
        let cli = try BinaryHarness()
        let markerDir = cli.home + "/markers"
        let conf = #"{"n": 12, "sleep_ms": 300, "marker_dir": "\#(markerDir)"}"#
        let (owner, _, errors) = try cli.start(["dags", "trigger", "bench_chain", "--conf", conf, "--wait", "--parallelism", "1"])
        let store = try cli.store()
        #expect(try BinaryHarness.waitUntil(while: owner) { markers(markerDir).count >= 2 })
        // SIGTERM must find a try running, however the timing falls: freeze the owner's worker,
        // then wait until the store shows a try running whose task has not written its marker
        // (written last, before the reply): that try cannot end while the worker is frozen. (A
        // try that had marked and replied just before the freeze ends, and the next one starts
        // on the frozen worker: marked running before its request is sent.)
        for worker in BinaryHarness.children(of: owner.processIdentifier) { kill(worker, SIGSTOP) }
        #expect(try BinaryHarness.waitUntil(while: owner) {
            guard let run = try store.runs(RunQuery(dagId: "bench_chain")).first else { return false }
            let marked = markers(markerDir)
            return try store.taskInstances(runId: run.runId)
                .contains { $0.kind == "task" && $0.state == .running && marked[$0.taskId] == nil }
        })
        owner.terminate()
        owner.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(owner.terminationStatus == 1)
        #expect(message.contains("handed back"))
        let run = try #require(try store.runs(RunQuery(dagId: "bench_chain")).first)
        #expect(run.state == .running)
        #expect(try store.leases().isEmpty)
        let handedBack = try store.taskInstances(runId: run.runId).filter { $0.kind == "task" && $0.state == .scheduled }
        #expect(handedBack.count == 1)
        for task in handedBack {
            let tries = try store.tries(runId: run.runId, taskId: task.taskId)
            #expect(tries.last?.state == .interrupted, "\(task.taskId): \(tries); owner said: \(message)")
        }
        let (scheduler, _, _) = try cli.start(["scheduler", "--parallelism", "2"])
        let finished = try BinaryHarness.waitUntil(while: scheduler) { try store.run(run.runId)?.state.isTerminal == true }
        scheduler.terminate()
        scheduler.waitUntilExit()
        #expect(finished)
        #expect(try store.run(run.runId)?.state == .success)
    }

    @Test func trapAndTimeoutFailOnlyTheirOwnTries() throws {
        let cli = try BinaryHarness()
        let result = try cli.run(["dags", "trigger", "bench_crash", "--wait", "--parallelism", "2"])
        #expect(result.status == 1)
        let store = try cli.store()
        let run = try #require(try store.runs(RunQuery(dagId: "bench_crash")).first)
        let states = Dictionary(try store.taskInstances(runId: run.runId).map { ($0.taskId, $0) }, uniquingKeysWith: { $1 })
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
