import Foundation
import Testing
import UpdraftRuntime
import UpdraftStore
import UpdraftTesting

/// Retry delays, timeouts and callbacks driven by a manual clock. The time limit only stops a
/// real hang: no wait here has a deadline.
@Suite(.timeLimit(.minutes(10))) struct RetryTimingTests {
    struct Flaky: Error {}

    /// Polls until `condition` holds, however long the machine takes to get there (the run it
    /// watches moves on its own; only the manual clock's dates are asserted).
    func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        while try await !condition() { try await Task.sleep(for: .milliseconds(5)) }
        return true
    }

    @Test func retryWaitsForItsBackoffDelayOnTheClock() async throws {
        let calls = Locked<[String]>([])
        let policy = RetryPolicy(retries: 2, initialDelay: .seconds(60), backoffCoefficient: 2)
        let dag = DAG("flaky") { d in
            d.task(
                "fetch", options: TaskOptions(retry: policy, onRetry: { info in calls.withLock { $0.append("retry \(info.tryNumber)") } })
            ) { ctx in
                if ctx.tryNumber < 3 { throw Flaky() }
            }
        }
        let clock = ManualClock(now: .utc(2024, 1, 1))
        let start = clock.now
        let harness = try await DAGTestHarness(dags: [dag], clock: clock)
        let run = try await harness.engine.trigger(dagId: "flaky")
        async let finished = harness.execute(run.key)
        let store = harness.store
        #expect(try await eventually { try await store.taskInstance(run: run.key, taskId: "fetch")?.state == .upForRetry })
        #expect(try await store.taskInstance(run: run.key, taskId: "fetch")?.nextRetryAt == start.addingTimeInterval(60))
        #expect(try await eventually { clock.pendingWakeUps.contains(start.addingTimeInterval(60)) })
        clock.advance(by: 59)
        try await Task.sleep(for: .milliseconds(30))
        #expect(try await store.taskInstance(run: run.key, taskId: "fetch")?.tryNumber == 1)
        clock.advance(by: 1)
        #expect(try await eventually { try await store.taskInstance(run: run.key, taskId: "fetch")?.tryNumber == 2 })
        #expect(try await eventually { clock.pendingWakeUps.contains(start.addingTimeInterval(60 + 120)) })
        clock.advance(by: 120)
        let result = try await finished
        #expect(result.state == .success)
        #expect(result.instances["fetch"]?.tryNumber == 3)
        #expect(calls.withLock { $0 } == ["retry 1", "retry 2"])
    }

    @Test func dagrunTimeoutFailsTheRunAndSkipsTheRest() async throws {
        let dag = DAG("slow", dagrunTimeout: .seconds(30)) { d in
            let wait = d.task("wait") { _ in try await Task.sleep(for: .seconds(3600)) }
            let after = d.task("after") { _ in }
            wait >> after
        }
        let clock = ManualClock()
        let harness = try await DAGTestHarness(dags: [dag], clock: clock)
        let run = try await harness.engine.trigger(dagId: "slow")
        async let finished = harness.execute(run.key)
        #expect(try await eventually { try await harness.store.taskInstance(run: run.key, taskId: "wait")?.state == .running })
        #expect(try await eventually { !clock.pendingWakeUps.isEmpty })
        clock.advance(by: 31)
        let result = try await finished
        #expect(result.state == .failed)
        #expect(result.instances["wait"]?.state == .skipped)
        #expect(result.instances["after"]?.state == .skipped)
    }

    @Test func runCallbacksFireAfterTheRunEnds() async throws {
        let seen = Locked<[String]>([])
        let dag = DAG("notify", onSuccess: { info in seen.withLock { $0.append("run \(info.state.rawValue)") } }) { d in
            d.task("t", options: TaskOptions(onSuccess: { info in seen.withLock { $0.append("task \(info.taskId!)") } })) { _ in }
        }
        let result = try await DAGTestHarness(dags: [dag]).run("notify")
        #expect(result.state == .success)
        #expect(seen.withLock { $0 } == ["task t", "run success"])
    }
}
