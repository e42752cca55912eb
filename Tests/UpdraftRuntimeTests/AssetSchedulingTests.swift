import Foundation
import Logging
import Testing
import UpdraftStore
import UpdraftTesting

@testable import UpdraftRuntime

/// Assets: events on success, the per-DAG queue, asset-triggered runs and lineage.
@Suite struct AssetSchedulingTests {
    static let ticks = Asset("tickerdata_1m", uri: "updraft://warehouse/tickerdata_1m")
    static let symbols = Asset("symbols", uri: "updraft://warehouse/symbols")

    static func producer(_ id: String, _ asset: Asset, fails: Bool = false) -> DAG {
        DAG(id) { d in
            d.task("load", options: TaskOptions(outlets: [asset])) { _ in if fails { throw TaskFailure("no data") } }
        }
    }

    static func scheduler(_ harness: DAGTestHarness) -> SchedulerService {
        SchedulerService(engine: harness.engine, logger: Logger(label: "test")) { harness.executor }
    }

    @Test func aSuccessRecordsAnEventQueuedForEveryConsumer() async throws {
        let consumer = DAG("indicators", assets: .all(Self.ticks)) { d in d.task("t") { _ in } }
        let harness = try await DAGTestHarness(dags: [Self.producer("historical", Self.ticks), consumer])
        let result = try await harness.run("historical")
        #expect(result.state == .success)
        let events = try await harness.store.assetEvents(producedBy: result.run.key)
        #expect(events.map(\.assetURI) == [Self.ticks.uri])
        #expect(events.first?.sourceTaskId == "load")
        #expect(try await harness.store.queuedAssetEvents(dagId: "indicators").map(\.id) == events.map(\.id))
        let assets = try await harness.store.assets()
        #expect(assets.first?.consumingDAGs == ["indicators"])
        #expect(assets.first?.producingTasks == [TaskKeyName("historical", "load")])
        #expect(assets.first?.lastEvent?.id == events.first?.id)
    }

    @Test func aFailedTaskRecordsNoEvent() async throws {
        let harness = try await DAGTestHarness(dags: [Self.producer("historical", Self.ticks, fails: true)])
        let result = try await harness.run("historical")
        #expect(result.state == .failed)
        #expect(try await harness.store.assetEvents(producedBy: result.run.key).isEmpty)
    }

    /// `all` waits for every asset; the run then consumes every queued event, and lineage links both ways.
    @Test func anAllConditionRunsOnceEveryAssetHasAnEventAndConsumesThemAll() async throws {
        let consumer = DAG("training", assets: .all(Self.ticks, Self.symbols)) { d in d.task("t") { _ in } }
        let harness = try await DAGTestHarness(dags: [
            Self.producer("a", Self.ticks), Self.producer("b", Self.symbols),
            consumer,
        ])
        let scheduler = Self.scheduler(harness)
        let first = try await harness.run("a")
        _ = try await harness.run("a")
        try await scheduler.createAssetTriggeredRuns()
        #expect(try await harness.store.runs(RunQuery(dagId: "training")).isEmpty)
        let second = try await harness.run("b")
        try await scheduler.createAssetTriggeredRuns()
        let runs = try await harness.store.runs(RunQuery(dagId: "training"))
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        #expect(run.runType == .assetTriggered && run.triggeredBy == .asset)
        let consumed = try await harness.store.assetEvents(consumedBy: run.key)
        #expect(consumed.count == 3)
        #expect(try await harness.store.queuedAssetEvents(dagId: "training").isEmpty)
        #expect(try await harness.engine.upstreamRuns(of: run.key).contains(first.run.key))
        #expect(try await harness.engine.downstreamRuns(of: second.run.key) == [run.key])
        try await scheduler.createAssetTriggeredRuns()
        #expect(try await harness.store.runs(RunQuery(dagId: "training")).count == 1)
    }

    @Test func anAnyConditionRunsOnOneAsset() async throws {
        let consumer = DAG("scoring", schedule: "@daily", assets: .any(Self.ticks, Self.symbols)) { d in d.task("t") { _ in } }
        let harness = try await DAGTestHarness(dags: [Self.producer("b", Self.symbols), consumer])
        _ = try await harness.run("b")
        try await Self.scheduler(harness).createAssetTriggeredRuns()
        #expect(try await harness.store.runs(RunQuery(dagId: "scoring")).map(\.runType) == [.assetTriggered])
    }

    /// Time and assets: the cron schedule still creates its runs.
    @Test func aDAGOnTimeAndAssetsKeepsItsCronRuns() async throws {
        let consumer = DAG("scoring", schedule: "@daily", assets: .any(Self.ticks), startDate: .utc(2024, 1, 1)) { d in
            d.task("t") { _ in }
        }
        let harness = try await DAGTestHarness(dags: [consumer], clock: ManualClock(now: .utc(2024, 1, 3, 1)))
        _ = try await Self.scheduler(harness).createDueRuns()
        let runs = try await harness.store.runs(RunQuery(dagId: "scoring"))
        #expect(runs.map(\.runType) == [RunType.scheduled])
        #expect(runs.first?.triggeredBy == .timetable)
    }

    @Test func failFastFailsRunningTasksAndSkipsTheRest() async throws {
        let dag = DAG("ff", failFast: true) { d in
            d.task("boom") { _ in throw TaskFailure("boom") }
            d.task("slow") { _ in try await Task.sleep(for: .seconds(3600)) }
            let first = d.task("first") { _ in try await Task.sleep(for: .seconds(3600)) }
            let later = d.task("later") { _ in }
            first >> later
        }
        let harness = try await DAGTestHarness(dags: [dag])
        let result = try await harness.run("ff")
        #expect(result.state == .failed)
        #expect(result.instances["boom"]?.state == .failed)
        #expect(result.instances["slow"]?.state == .failed)
        #expect(result.instances["slow"]?.error?.contains("failed fast") == true)
        #expect(result.instances["later"]?.state == .skipped)
    }

    @Test func withoutFailFastOtherBranchesGoOn() async throws {
        let dag = DAG("slowfail") { d in
            d.task("boom") { _ in throw TaskFailure("boom") }
            d.task("other") { _ in }
        }
        let harness = try await DAGTestHarness(dags: [dag])
        let result = try await harness.run("slowfail")
        #expect(result.instances["other"]?.state == .success)
    }
}

/// The owner of a run renews its lease every third of the lease timeout on the engine's clock.
@Suite struct LeaseHeartbeatTests {
    @Test func anExecutingOwnerRenewsItsLease() async throws {
        let dag = DAG("long") { d in d.task("wait") { _ in try await Task.sleep(for: .seconds(3600)) } }
        let clock = ManualClock(now: .utc(2024, 1, 5))
        let harness = try await DAGTestHarness(dags: [dag], clock: clock, leaseTimeout: 30)
        let run = try await harness.engine.trigger(dagId: "long")
        let execution = Task { try await harness.execute(run.key) }
        defer { execution.cancel() }
        while try await harness.store.taskInstance(run: run.key, taskId: "wait")?.state != .running
            || !clock.pendingWakeUps.contains(.utc(2024, 1, 5).addingTimeInterval(10))
        {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(try await harness.store.leases().first?.expiresAt == .utc(2024, 1, 5).addingTimeInterval(30))
        clock.advance(by: 10)
        while try await harness.store.leases().first?.heartbeatAt != .utc(2024, 1, 5).addingTimeInterval(10) {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(try await harness.store.leases().first?.expiresAt == .utc(2024, 1, 5).addingTimeInterval(40))
        _ = try await harness.engine.markRun(run: run.key, state: .failed)
    }
}
