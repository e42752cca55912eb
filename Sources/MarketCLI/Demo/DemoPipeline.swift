import Foundation
import Logging
import ServiceLifecycle
import UpdraftCLI
import UpdraftConfig
import UpdraftRuntime
import UpdraftStore

/// Runs the crypto pipeline through the real scheduler and worker pool, chained by assets: it
/// plays the cron's part for each time-scheduled DAG once (`get_symbols`, then `incremental`),
/// and the scheduler creates every other run from the asset events the runs record
/// (`historical` on `symbols`, `indicators` on `tickerdata_1m`, … `alerts` and paper `trading`
/// on `indicators_1m` and `predictions`). Each trigger waits until the
/// wave of the previous one has settled: every run ended and no asset event waiting for a run.
///
/// The demo's engine uses the binary's DAGs with their cron schedules removed (asset schedules
/// kept), so the scheduler never starts a time-scheduled run of its own.
struct DemoPipeline: Sendable {
    /// The pipeline's DAGs.
    static let dags = [
        "get_symbols", "historical", "incremental", "indicators", "training", "scoring", "alerts", "trading",
    ]
    /// The time-scheduled DAGs, triggered in this order as their schedules would.
    static let triggered = ["get_symbols", "incremental"]

    let engine: Engine
    /// The demo's configuration, which every worker gets in its start-up frame.
    let configuration: UpdraftConfiguration
    let progress: DemoProgress

    /// The engine over `home` with the pipeline's DAGs from `registry`, without cron schedules.
    static func engine(home: String, registry: DAGRegistry) async throws -> Engine {
        var dags: [DAG] = []
        for id in Self.dags {
            guard var dag = registry.dags[id] else {
                throw CLIError.usage("this binary has no DAG '\(id)', which the demo runs")
            }
            dag.schedule = .none
            dag.scheduleText = nil
            dags.append(dag)
        }
        return try await Engine.open(home: EngineHome(home), registry: try DAGRegistry(dags))
    }

    /// Runs the pipeline and returns its runs, oldest first, once it has settled.
    func run(timeout: TimeInterval) async throws -> [DAGRun] {
        var logger = Logger(label: "updraft.demo.scheduler")
        logger.logLevel = .warning
        let configuration = self.configuration
        let scheduler = SchedulerService(engine: engine, logger: logger) {
            try await WorkerPoolExecutor(size: configuration[.parallelism], startup: try configuration.encoded())
        }
        let group = ServiceGroup(configuration: .init(services: [scheduler], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: [DAGRun]?.self) { tasks in
            tasks.addTask {
                try await group.run(); return nil
            }
            tasks.addTask {
                do {
                    let runs = try await drive(timeout: timeout)
                    await group.triggerGracefulShutdown()
                    return runs
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
            }
            var runs: [DAGRun] = []
            for try await result in tasks { if let result { runs = result } }
            return runs
        }
    }

    /// Triggers each time-scheduled DAG once its predecessor's wave has settled.
    private func drive(timeout: TimeInterval) async throws -> [DAGRun] {
        let started = Date()
        var runs: [DAGRun] = []
        for id in Self.triggered {
            _ = try await engine.trigger(dagId: id, triggeredBy: .cli)
            _ = await engine.wakeScheduler()
            runs = try await settle(started: started, timeout: timeout)
        }
        progress.finish()
        return runs
    }

    /// Polls the store until every run has ended and no asset event waits for a run.
    private func settle(started: Date, timeout: TimeInterval) async throws -> [DAGRun] {
        while true {
            try await Task.sleep(for: .milliseconds(250))
            let runs = try await engine.store.runs(RunQuery()).sorted { $0.queuedAt < $1.queuedAt }
            await progress.update(runs: runs, store: engine.store, elapsed: Date().timeIntervalSince(started))
            if !runs.contains(where: { !$0.state.isTerminal }), try await !assetEventsWaiting() { return runs }
            if Date().timeIntervalSince(started) > timeout {
                progress.finish()
                throw CLIError.failed(
                    "the demo did not finish within \(Int(timeout)) s; "
                        + "inspect it with `updraft runs list --home \(engine.home.root)`")
            }
        }
    }

    /// Whether some DAG has queued asset events that satisfy its condition (a run is due).
    private func assetEventsWaiting() async throws -> Bool {
        for (id, dag) in engine.registry.dags {
            guard let condition = dag.assetCondition else { continue }
            let queued = try await engine.store.queuedAssetEvents(dagId: id)
            if !queued.isEmpty, condition.isSatisfied(byEventsOf: Set(queued.map(\.assetURI))) { return true }
        }
        return false
    }
}
