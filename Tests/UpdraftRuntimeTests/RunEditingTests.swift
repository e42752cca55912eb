import Foundation
import Testing
import UpdraftRuntime
import UpdraftStore
import UpdraftTesting

/// Clear, mark, cancel and trigger-another-DAG, through the engine.
@Suite(.timeLimit(.minutes(5))) struct RunEditingTests {
    static func failingOnce(_ attempts: Locked<Int>) -> DAG {
        DAG("etl") { d in
            let extract = d.task("extract") { _ in }
            let transform = d.task("transform") { _ in
                let count = attempts.withLock { value in
                    value += 1; return value
                }
                if count == 1 { throw TaskFailure("bad batch") }
            }
            let load = d.task("load") { _ in }
            extract >> transform
            transform >> load
        }
    }

    @Test func clearingAFailedTaskReRunsItAndItsDownstream() async throws {
        let attempts = Locked(0)
        let harness = try await DAGTestHarness(dags: [Self.failingOnce(attempts)])
        let first = try await harness.run("etl")
        #expect(first.state == .failed)
        #expect(first.instances["load"]?.state == .upstreamFailed)
        let cleared = try await harness.engine.clear(run: first.run.key, taskIds: ["transform"], downstream: true)
        #expect(cleared == ["load", "transform"])
        #expect(try await harness.store.run(first.run.key)?.state == .queued)
        let second = try await harness.execute(first.run.key)
        #expect(second.state == .success)
        #expect(second.instances["transform"]?.tryNumber == 2)
        #expect(second.instances["extract"]?.tryNumber == 1)
        #expect(try await harness.store.tries(run: first.run.key, taskId: "transform").map(\.state) == [.failed, .success])
    }

    @Test func clearingWithFailedOnlyKeepsSuccesses() async throws {
        let attempts = Locked(0)
        let harness = try await DAGTestHarness(dags: [Self.failingOnce(attempts)])
        let first = try await harness.run("etl")
        let cleared = try await harness.engine.clear(run: first.run.key, taskIds: ["extract"], downstream: true, failedOnly: true)
        #expect(cleared == ["load", "transform"])
    }

    @Test func markingARunSucceededFinishesItsTasks() async throws {
        let harness = try await DAGTestHarness(dags: [Self.failingOnce(Locked(0))])
        let run = try await harness.engine.trigger(dagId: "etl")
        #expect(try await harness.engine.markRun(run: run.key, state: .success) == nil)
        #expect(try await harness.store.run(run.key)?.state == .success)
        #expect(try await harness.store.taskInstances(run: run.key).allSatisfy { $0.state == .success })
    }

    @Test func markingATaskAndItsDownstream() async throws {
        let harness = try await DAGTestHarness(dags: [Self.failingOnce(Locked(0))])
        let run = try await harness.engine.trigger(dagId: "etl")
        let marked = try await harness.engine.markTask(run: run.key, taskId: "transform", state: .failed, downstream: true)
        #expect(marked == ["load", "transform"])
        #expect(try await harness.store.taskInstance(run: run.key, taskId: "load")?.state == .failed)
    }

    @Test func aTaskCanTriggerAnotherDAG() async throws {
        let parent = DAG("parent") { d in
            d.task("kick") { ctx in ctx.triggerDAG("child", conf: ["symbol": "BTCUSDT"]) }
        }
        let child = DAG("child", params: [.string("symbol", default: nil)]) { d in d.task("t") { _ in } }
        let harness = try await DAGTestHarness(dags: [parent, child])
        _ = try await harness.run("parent")
        let runs = try await harness.store.runs(RunQuery(dagId: "child"))
        #expect(runs.count == 1)
        #expect(runs.first?.conf == ["symbol": "BTCUSDT"])
        #expect(runs.first?.state == .queued)
    }

    @Test func whyExplainsAWaitingTask() async throws {
        let harness = try await DAGTestHarness(dags: [Self.failingOnce(Locked(0))])
        let run = try await harness.engine.trigger(dagId: "etl")
        let checks = try await harness.engine.why(run: run.key, taskId: "load")
        let trigger = try #require(checks.first { $0.rule == "Trigger rule" })
        #expect(!trigger.passed)
        #expect(trigger.reason.contains("waiting for transform (none)"))
        #expect(checks.first { $0.rule == "Run owner" }?.passed == false)
    }

    @Test func poolSlotsLimitConcurrency() async throws {
        let running = Locked((now: 0, peak: 0, finished: 0))
        let dag = DAG("pooled", maxActiveTasks: 100, pools: ["narrow": 2]) { d in
            for index in 0..<8 {
                d.task("t\(index)", options: TaskOptions(pool: "narrow")) { _ in
                    running.withLock {
                        $0.now += 1; $0.peak = max($0.peak, $0.now)
                    }
                    // Keeps its slot until the other slot is taken too (or every other task is
                    // done), so two run together however slow the machine; a third would show.
                    while running.withLock({ $0.now < 2 && $0.finished < 7 }) {
                        try await Task.sleep(for: .milliseconds(1))
                    }
                    running.withLock {
                        $0.now -= 1; $0.finished += 1
                    }
                }
            }
        }
        let harness = try await DAGTestHarness(dags: [dag])
        #expect(try await harness.store.pools().contains(PoolRecord(name: "narrow", slots: 2, description: "declared by a DAG")))
        let result = try await harness.run("pooled")
        #expect(result.state == .success)
        #expect(running.withLock { $0.peak } == 2)
    }
}

@Suite struct FactoryClearTests {
    @Test func clearingATaskInsideAGroupReopensTheGroupAndWhatFollowsIt() async throws {
        let attempts = Locked(0)
        let dag = DAG("grouped") { d in
            let symbols = d.task("symbols") { _ in ["BTCUSDT", "ETHUSDT"] }
            let loads = d.factory("load", from: symbols, as: [String].self) { symbols, g in
                for symbol in symbols {
                    g.task(symbol) { _ in
                        if symbol == "ETHUSDT",
                            attempts.withLock({ value in
                                value += 1; return value
                            }) == 1
                        {
                            throw TaskFailure("archive missing")
                        }
                    }
                }
            }
            let report = d.task("report") { _ in }
            loads >> report
        }
        let harness = try await DAGTestHarness(dags: [dag])
        let first = try await harness.run("grouped")
        #expect(first.state == .failed)
        #expect(first.instances["report"]?.state == .upstreamFailed)
        let cleared = try await harness.engine.clear(run: first.run.key, taskIds: ["load.ETHUSDT"], downstream: true)
        #expect(cleared == ["load.ETHUSDT", "report"])
        #expect(try await harness.store.taskInstance(run: first.run.key, taskId: "load")?.state == .running)
        let second = try await harness.execute(first.run.key)
        #expect(second.state == .success)
        #expect(second.instances["load"]?.state == .success)
        #expect(second.instances["load.BTCUSDT"]?.tryNumber == 1)
        #expect(second.instances["load.ETHUSDT"]?.tryNumber == 2)
        #expect(second.instances["report"]?.state == .success)
    }
}
