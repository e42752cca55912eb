import Foundation
import Testing
import UpdraftStore
import UpdraftTesting

@testable import UpdraftRuntime

/// Issue 9, item 6: failures on orchestration paths go where a user looks.
@Suite struct NoSwallowedErrorTests {
    static func engine(_ dags: [DAG], store: BrokenStore) async throws -> (Engine, InProcessExecutor) {
        let registry = try DAGRegistry(dags)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-errors-\(UUID().uuidString)").path
        let engine = Engine(home: EngineHome(folder), store: store, registry: registry, clock: ManualClock(now: .utc(2024, 1, 5)))
        try await engine.syncDAGs()
        return (engine, InProcessExecutor(registry: registry, store: store))
    }

    static func log(_ engine: Engine, _ run: RunKey, _ task: String, try number: Int = 1) -> String {
        let path = engine.home.logPath(dagId: run.dagId, runId: run.runId, taskId: task, tryNumber: number)
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    @Test func aTriggerThatFailsFailsTheTryWithTheErrorInItsLog() async throws {
        let dag = DAG("caller") { d in d.task("call") { ctx in ctx.triggerDAG("no_such_dag") } }
        let harness = try await DAGTestHarness(dags: [dag])
        let result = try await harness.run("caller")
        #expect(result.state == .failed)
        #expect(result.instances["call"]?.error?.contains("could not trigger DAG 'no_such_dag'") == true)
        #expect(Self.log(harness.engine, result.run.key, "call").contains("could not trigger DAG 'no_such_dag'"))
    }

    @Test func aTriggeredRunIsManualAndTriggeredByAnOperator() async throws {
        let dag = DAG("caller") { d in d.task("call") { ctx in ctx.triggerDAG("callee") } }
        let callee = DAG("callee") { d in d.task("t") { _ in } }
        let harness = try await DAGTestHarness(dags: [dag, callee])
        _ = try await harness.run("caller")
        let runs = try await harness.store.runs(RunQuery(dagId: "callee"))
        #expect(runs.map(\.triggeredBy) == [TriggeredBy.operator])
    }

    @Test func anXComPullThatFailsOnAStoreErrorFailsTheTry() async throws {
        let dag = DAG("pull") { d in
            let source = d.task("source") { _ in 42 }
            let other = d.task("other") { _ in }
            let reader = d.task("reader") { ctx in
                // `source` is not a direct upstream: not prefetched, so the pull reads the store.
                _ = try ctx.xcom(Int.self, from: "source")
            }
            source >> other
            other >> reader
        }
        let store = BrokenStore()
        let (engine, executor) = try await Self.engine([dag], store: store)
        let run = try await engine.trigger(dagId: "pull")
        store.brokenReads = true
        #expect(try await engine.execute(run.key, executor: executor) == .failed)
        let reader = try await store.taskInstance(run: run.key, taskId: "reader")
        #expect(reader?.state == .failed)
        #expect(reader?.error?.contains("database or disk is full") == true)
    }

    @Test func aCallbackErrorIsWrittenToTheRunLog() async throws {
        struct CallbackBroke: Error {}
        let dag = DAG("cb", onSuccess: { _ in throw CallbackBroke() }) { d in
            d.task("t", options: TaskOptions(onSuccess: { _ in throw CallbackBroke() })) { _ in }
        }
        let harness = try await DAGTestHarness(dags: [dag])
        let result = try await harness.run("cb")
        #expect(result.state == .success)
        let lines = harness.engine.home.runLogLines(dagId: "cb", runId: result.run.runId)
        #expect(lines.contains { $0.contains("onSuccess callback failed") && $0.contains("CallbackBroke") })
        #expect(lines.contains { $0.contains("callback of task 't'") })
        #expect(Self.log(harness.engine, result.run.key, "t").contains("CallbackBroke"))
    }

    /// The asset event is written in the commit of the task's success: when that commit fails,
    /// the execution fails with the store's error (the scheduler logs it and tries again).
    /// The store the `abandoned` DAG's quick task breaks, and the signal its slow task sends when cancelled.
    static let breaking = Locked<BrokenStore?>(nil)
    static let slowCancelled = AsyncStream<Void>.makeStream()

    @Test(.timeLimit(.minutes(1))) func aDriveThatThrowsStopsItsTriesAndGivesTheirSlotsBack() async throws {
        let dag = DAG("abandoned") { d in
            d.task("slow") { _ in
                do { try await Task.sleep(for: .seconds(3600)) } catch {
                    NoSwallowedErrorTests.slowCancelled.continuation.yield()
                    throw error
                }
            }
            d.task("quick") { _ in NoSwallowedErrorTests.breaking.withLock { $0?.broken = true } }
        }
        let store = BrokenStore()
        Self.breaking.withLock { $0 = store }
        let (engine, executor) = try await Self.engine([dag], store: store)
        let ledger = SlotLedger(parallelism: 8, pools: try await store.pools())
        let run = try await engine.trigger(dagId: "abandoned")
        // Both tries start; the quick one's end cannot be committed, and the drive throws.
        await #expect(throws: BrokenStore.DiskFull.self) { _ = try await engine.execute(run.key, executor: executor, ledger: ledger) }
        var cancelled = Self.slowCancelled.stream.makeAsyncIterator()
        _ = await cancelled.next()
        #expect(ledger.used(pool: TaskOptions.defaultPool) == 0)
    }

    @Test func anAssetEventWriteFailureFailsTheExecution() async throws {
        let asset = Asset("a", uri: "updraft://test/a")
        let dag = DAG("producer") { d in d.task("load", options: TaskOptions(outlets: [asset])) { _ in } }
        let store = BrokenStore()
        let (engine, executor) = try await Self.engine([dag], store: store)
        let run = try await engine.trigger(dagId: "producer")
        store.broken = true
        await #expect(throws: BrokenStore.DiskFull.self) { _ = try await engine.execute(run.key, executor: executor) }
        #expect(try await store.assetEvents(producedBy: run.key).isEmpty)
        #expect(engine.home.runLogLines(dagId: "producer", runId: run.runId).contains { $0.contains("could not release the lease") })
    }
}
