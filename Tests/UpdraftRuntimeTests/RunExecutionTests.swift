import Foundation
import Testing
import UpdraftDAGs
import UpdraftRuntime
import UpdraftStore
import UpdraftTesting

@Suite struct RunExecutionTests {
    @Test func fanOutRunsEveryTaskOnce() async throws {
        let harness = try await DAGTestHarness(dags: UpdraftDAGs.all(.defaults()))
        let result = try await harness.run("bench_fanout", conf: ["n": 50])
        #expect(result.state == .success)
        let tasks = result.instances.values.filter { $0.group == "fan" }
        #expect(tasks.count == 50)
        #expect(tasks.allSatisfy { $0.state == .success && $0.tryNumber == 1 })
        #expect(result.instances["fan"]?.state == .success)
    }

    @Test func chainRunsInOrder() async throws {
        let harness = try await DAGTestHarness(dags: UpdraftDAGs.all(.defaults()))
        let result = try await harness.run("bench_chain", conf: ["n": 10])
        #expect(result.state == .success)
        let steps = (0..<10).map { result.instances["chain.step_\($0)"]! }
        for (earlier, later) in zip(steps, steps.dropFirst()) {
            #expect(earlier.endDate! <= later.startDate!)
        }
    }

    @Test func retrySucceedsOnThirdTry() async throws {
        let harness = try await DAGTestHarness(dags: UpdraftDAGs.all(.defaults()))
        let result = try await harness.run("bench_retry", conf: ["delay_s": 0.02])
        #expect(result.state == .success)
        let flaky = try #require(result.instances["retry.flaky"])
        #expect(flaky.tryNumber == 3)
        #expect(flaky.failedTries == 2)
        let tries = try await harness.store.tries(run: result.run.key, taskId: "retry.flaky")
        #expect(tries.map(\.state) == [.failed, .failed, .success])
        #expect(result.instances["after"]?.state == .success)
    }

    @Test func failurePropagatesAsUpstreamFailed() async throws {
        struct Boom: Error {}
        let dag = DAG("fails") { d in
            let bad = d.task("bad") { _ in throw Boom() }
            let after = d.task("after") { _ in }
            let cleanup = d.task("cleanup", triggerRule: .allDone) { _ in }
            bad >> after
            after >> cleanup
        }
        let harness = try await DAGTestHarness(dags: [dag])
        let result = try await harness.run("fails")
        #expect(result.state == .success)  // leaf `cleanup` (all_done) succeeded, as in Airflow
        #expect(result.instances["bad"]?.state == .failed)
        #expect(result.instances["after"]?.state == .upstreamFailed)
        #expect(result.instances["cleanup"]?.state == .success)
        #expect(result.instances["bad"]?.error?.contains("Boom") == true)
    }

    @Test func branchSkipsTheOtherPath() async throws {
        let dag = DAG("branching") { d in
            let choose = d.branch("choose") { _ in ["left"] }
            let left = d.task("left") { _ in }
            let right = d.task("right") { _ in }
            let join = d.task("join", triggerRule: .noneFailedMinOneSuccess) { _ in }
            choose >> [left, right]
            [left, right] >> join
        }
        let result = try await DAGTestHarness(dags: [dag]).run("branching")
        #expect(result.state == .success)
        #expect(result.instances["left"]?.state == .success)
        #expect(result.instances["right"]?.state == .skipped)
        #expect(result.instances["join"]?.state == .success)
    }

    @Test func xcomFlowsDownstreamAndSelfSkipWorks() async throws {
        let seen = Locked<[Int]>([])
        let dag = DAG("xcom") { d in
            let produce = d.task("produce") { _ in [1, 2, 3] }
            let consume = d.task("consume") { ctx in
                let values = try ctx.xcom([Int].self, from: "produce") ?? []
                seen.withLock { $0 = values }
                try ctx.xcomPush("sum", values.reduce(0, +))
            }
            let skipper = d.task("skipper") { ctx in try ctx.skip("nothing to do") }
            produce >> consume
            consume >> skipper
        }
        let harness = try await DAGTestHarness(dags: [dag])
        let result = try await harness.run("xcom")
        #expect(seen.withLock { $0 } == [1, 2, 3])
        #expect(try await harness.store.xcom(run: result.run.key, taskId: "consume", key: "sum") == Array("6".utf8))
        #expect(result.instances["skipper"]?.state == .skipped)
        #expect(result.state == .success)
    }

    @Test func nestedFactoriesExpandAndRollUp() async throws {
        let dag = DAG("historical_demo") { d in
            let symbols = d.task("get_symbols") { _ in ["BTCUSDT", "ETHUSDT"] }
            let historical = d.factory("historical", from: symbols, as: [String].self) { symbols, g in
                for symbol in symbols {
                    g.group(symbol) { s in
                        let files = s.task("list_files") { _ in ["2024_01", "2024_02", "2024_03"] }
                        s.factory("files", from: files, as: [String].self) { names, f in
                            for name in names {
                                f.task("load_\(name)") { ctx in
                                    if symbol == "ETHUSDT" && name == "2024_02" { throw TaskFailure("corrupt archive") }
                                }
                            }
                        }
                    }
                }
            }
            let report = d.task("report", triggerRule: .allDone) { _ in }
            historical >> report
        }
        let result = try await DAGTestHarness(dags: [dag]).run("historical_demo")
        #expect(result.instances["historical.BTCUSDT.files.load_2024_01"]?.state == .success)
        #expect(result.instances["historical.BTCUSDT.files"]?.state == .success)
        #expect(result.instances["historical.ETHUSDT.files.load_2024_02"]?.state == .failed)
        #expect(result.instances["historical.ETHUSDT.files"]?.state == .failed)
        #expect(result.instances["historical"]?.state == .failed)
        #expect(result.instances["report"]?.state == .success)
        let expected = 1 + 1 + 2 * (1 + 1 + 3) + 1
        #expect(result.instances.count == expected)
    }

    @Test func confIsValidatedAgainstParams() async throws {
        let harness = try await DAGTestHarness(dags: UpdraftDAGs.all(.defaults()))
        await #expect(throws: ConfError.self) { try await harness.engine.trigger(dagId: "bench_fanout", conf: ["n": "many"]) }
        let error = await #expect(throws: ConfError.self) { try await harness.engine.trigger(dagId: "bench_fanout", conf: ["m": 1]) }
        #expect(error?.description.contains("unknown conf key 'm'") == true)
    }
}

@Suite struct TaskContextTests {
    @Test func typedParamsAndOversizedXComAreChecked() async throws {
        let seen = Locked<[String]>([])
        let dag = DAG("typed", params: [DAGParam("symbols", kind: .array, default: ["BTCUSDT"])]) { d in
            d.task("read") { ctx in
                seen.withLock { $0 = (try? ctx.param("symbols", as: [String].self)) ?? [] }
            }
            d.task("big") { _ in String(repeating: "x", count: XComCoding.maximumSize + 1) }
        }
        let result = try await DAGTestHarness(dags: [dag]).run("typed", conf: ["symbols": ["ETHUSDT", "SOLUSDT"]])
        #expect(seen.withLock { $0 } == ["ETHUSDT", "SOLUSDT"])
        #expect(result.instances["big"]?.state == .failed)
        #expect(result.instances["big"]?.error?.contains("XCom is for small values") == true)
    }
}

@Suite struct RunIdentifierTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00+00:00"),
        (1_704_067_200.0, "2024-01-01T00:00:00+00:00"),
        (1_709_164_800.5, "2024-02-29T00:00:00.500000+00:00"),
        (1_714_557_600.123456, "2024-05-01T10:00:00.123456+00:00"),
    ])
    func timestampsAreAirflowShaped(seconds: Double, expected: String) {
        #expect(RunIdentifier.timestamp(Date(timeIntervalSince1970: seconds)) == expected)
    }
}

@Suite struct XComReachTests {
    @Test func tasksBuiltByAFactoryReadTheFactorySourceAndFarTasks() async throws {
        let seen = Locked<[String]>([])
        let dag = DAG("reach") { d in
            let config = d.task("config") { _ in "v1" }
            let symbols = d.task("symbols") { _ in ["BTCUSDT"] }
            let loads = d.factory("load", from: symbols, as: [String].self) { symbols, g in
                for symbol in symbols {
                    g.task(symbol) { ctx in
                        let list = try ctx.xcom([String].self, from: "symbols") ?? []
                        let version = try ctx.xcom(String.self, from: "config") ?? "?"
                        seen.withLock { $0.append("\(list.joined()) \(version)") }
                    }
                }
            }
            config >> symbols
            symbols >> loads
        }
        let result = try await DAGTestHarness(dags: [dag]).run("reach")
        #expect(result.state == .success)
        #expect(seen.withLock { $0 } == ["BTCUSDT v1"])
    }
}
