import Foundation
import MetricsTestKit
import Testing
import UpdraftDAGs
import UpdraftRuntime
import UpdraftStore
import UpdraftTesting

/// The engine records Airflow's metrics in the factory passed in, with ids as labels, and adds
/// the counters tries report with their replies.
@Suite struct EngineMetricsTests {
    static func dag(_ clock: ManualClock) -> DAG {
        DAG("metered") { d in
            d.task("load") { ctx in
                clock.advance(by: 90)
                ctx.metrics.increment("updraft_rows_ingested_total", labels: ["table": "klines"], by: 7)
                ctx.metrics.increment("updraft_rows_ingested_total", labels: ["table": "klines"], by: 3)
            }
            d.task("bad") { _ in throw TaskFailure("no") }
        }
    }

    @Test func aRunRecordsItsTriesItsDurationAndItsTasksCounters() async throws {
        let clock = ManualClock()
        let metrics = TestMetrics()
        // A long lease: advancing the clock in a task must not wake the lease's heartbeat.
        let harness = try await DAGTestHarness(
            dags: [Self.dag(clock)], clock: clock, leaseTimeout: 3_600, metrics: EngineMetrics(factory: metrics))
        let result = try await harness.run("metered")
        #expect(result.state == .failed)

        for task in ["load", "bad"] {
            let started = try metrics.expectCounter("updraft_ti_start_total", [("dag_id", "metered"), ("task_id", task)])
            #expect(started.totalValue == 1)
        }
        let loaded = try metrics.expectCounter(
            "updraft_ti_finish_total", [("dag_id", "metered"), ("task_id", "load"), ("state", "success")])
        #expect(loaded.totalValue == 1)
        let failed = try metrics.expectCounter(
            "updraft_ti_finish_total", [("dag_id", "metered"), ("task_id", "bad"), ("state", "failed")])
        #expect(failed.totalValue == 1)
        let duration = try metrics.expectTimer("updraft_dagrun_duration_seconds", [("dag_id", "metered"), ("state", "failed")])
        #expect(duration.values == [90_000_000_000])
        let rows = try metrics.expectCounter("updraft_rows_ingested_total", [("table", "klines")])
        #expect(rows.totalValue == 10)

        let slots = PoolRecord.defaultPool.slots
        let running = try metrics.expectMeter("updraft_pool_running_slots", [("pool", "default_pool")])
        let open = try metrics.expectMeter("updraft_pool_open_slots", [("pool", "default_pool")])
        #expect(running.values.max() ?? 0 >= 1)
        #expect(running.lastValue == 0)
        #expect(open.lastValue == Double(slots))
    }

    @Test func aRetriedTryFinishesUpForRetry() async throws {
        let metrics = TestMetrics()
        struct Flake: Error {}
        let dag = DAG("flaky") { d in
            d.task("once", options: TaskOptions(retry: RetryPolicy(retries: 1, initialDelay: .zero))) { ctx in
                if ctx.tryNumber == 1 { throw Flake() }
            }
        }
        let harness = try await DAGTestHarness(dags: [dag], metrics: EngineMetrics(factory: metrics))
        #expect(try await harness.run("flaky").state == .success)
        let labels = [("dag_id", "flaky"), ("task_id", "once")]
        #expect(try metrics.expectCounter("updraft_ti_start_total", labels).totalValue == 2)
        #expect(try metrics.expectCounter("updraft_ti_finish_total", labels + [("state", "up_for_retry")]).totalValue == 1)
        #expect(try metrics.expectCounter("updraft_ti_finish_total", labels + [("state", "success")]).totalValue == 1)
    }

    /// The tries of tasks a factory built count under the factory's id: series follow the
    /// DAG's code, not its data.
    @Test func tasksAFactoryBuiltCountUnderTheFactorysId() async throws {
        let metrics = TestMetrics()
        let harness = try await DAGTestHarness(dags: UpdraftDAGs.all(.defaults()), metrics: EngineMetrics(factory: metrics))
        #expect(try await harness.run("bench_fanout", conf: ["n": 20]).state == .success)
        let fan = [("dag_id", "bench_fanout"), ("task_id", "fan")]
        #expect(try metrics.expectCounter("updraft_ti_start_total", fan).totalValue == 20)
        #expect(try metrics.expectCounter("updraft_ti_finish_total", fan + [("state", "success")]).totalValue == 20)
        #expect(!metrics.counters.contains { $0.dimensions.contains { $0.1.hasPrefix("fan.") } })
    }

    /// A reported counter that would clash in a Prometheus registry (an engine name, another
    /// label set, not a counter name) is dropped and said in the run's log, not recorded.
    @Test func aClashingReportedCounterIsRefusedAndLogged() async throws {
        let metrics = TestMetrics()
        let dag = DAG("clashing") { d in
            d.task("t") { ctx in
                ctx.metrics.increment("updraft_ti_start_total", labels: ["x": "1"])
                ctx.metrics.increment("jobs_done_total", labels: ["kind": "a"])
                ctx.metrics.increment("jobs_done_total", labels: ["other": "b"])
                ctx.metrics.increment("rows-loaded")
            }
        }
        let harness = try await DAGTestHarness(dags: [dag], metrics: EngineMetrics(factory: metrics))
        let result = try await harness.run("clashing")
        #expect(result.state == .success)
        #expect(try metrics.expectCounter("jobs_done_total", [("kind", "a")]).totalValue == 1)
        #expect(throws: (any Error).self) { try metrics.expectCounter("updraft_ti_start_total", [("x", "1")]) }
        #expect(throws: (any Error).self) { try metrics.expectCounter("jobs_done_total", [("other", "b")]) }
        let log = harness.engine.home.runLogLines(dagId: "clashing", runId: result.run.runId).joined(separator: "\n")
        #expect(log.contains("counter 'updraft_ti_start_total' uses the engine's prefix updraft_ti_"))
        #expect(log.contains("counter 'jobs_done_total' reported with labels [\"other\"], first reported with [\"kind\"]"))
        #expect(log.contains("counter 'rows-loaded' is not a Prometheus counter name"))
    }

    @Test func aWorkerJobRepliesWithTheCountersItsTryIncremented() async throws {
        let dag = DAG("counting") { d in
            d.task("t") { ctx in ctx.metrics.increment("updraft_http_retries_total", labels: ["host": "h"], by: 2) }
        }
        let runner = TaskRunner(registry: try DAGRegistry([dag]))
        let request = TaskRequest(
            dagId: "counting", runId: "r", taskId: "t", tryNumber: 1, logicalDate: Date(timeIntervalSince1970: 0),
            dataInterval: DataInterval(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 0)),
            params: [:], logPath: FileManager.default.temporaryDirectory.appendingPathComponent("counting-\(UUID()).log").path)
        let payload = request.frame
        let reply = try TaskReply(frame: await runner.handle(payload))
        #expect(reply.outcome == .success)
        #expect(reply.counters == [CounterIncrement(name: "updraft_http_retries_total", labels: ["host": "h"], amount: 2)])
        // Sent once: the next reply starts from zero.
        let again = try TaskReply(frame: await runner.handle(payload))
        #expect(again.counters == [CounterIncrement(name: "updraft_http_retries_total", labels: ["host": "h"], amount: 2)])
    }
}
