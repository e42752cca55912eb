import UpdraftCLI
import Foundation
import Logging
import ServiceLifecycle
import UpdraftRuntime
import UpdraftConfig
import UpdraftStore

/// Runs the crypto chain through the real scheduler and worker pool: triggers `get_symbols`,
/// lets each DAG trigger the next, and watches until `scoring` ends (or the chain stops).
///
/// The demo's engine uses the binary's DAGs with their schedules removed, so the scheduler
/// runs only what the demo and the DAGs trigger, never a scheduled run of its own.
struct DemoPipeline: Sendable {
    /// The chain, in the order it runs.
    static let chain = ["get_symbols", "historical", "incremental", "indicators", "training", "scoring"]

    let engine: Engine
    /// The demo's configuration, which every worker gets in its start-up frame.
    let configuration: UpdraftConfiguration
    let progress: DemoProgress

    /// The engine over `home` with the chain's DAGs from `registry`, unscheduled.
    static func engine(home: String, registry: DAGRegistry) async throws -> Engine {
        var dags: [DAG] = []
        for id in chain {
            guard var dag = registry.dags[id] else {
                throw CLIError.usage("this binary has no DAG '\(id)', which the demo runs")
            }
            dag.schedule = .none
            dag.scheduleText = nil
            dags.append(dag)
        }
        return try await Engine.open(home: EngineHome(home), registry: try DAGRegistry(dags))
    }

    /// Triggers the chain and returns its runs, oldest first, once it has ended.
    func run(timeout: TimeInterval) async throws -> [DAGRun] {
        _ = try await engine.trigger(dagId: Self.chain[0])
        var logger = Logger(label: "updraft.demo.scheduler")
        logger.logLevel = .warning
        let configuration = self.configuration
        let scheduler = SchedulerService(engine: engine, logger: logger) {
            try await WorkerPoolExecutor(size: configuration[.parallelism], startup: try configuration.encoded())
        }
        let group = ServiceGroup(configuration: .init(services: [scheduler], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: [DAGRun]?.self) { tasks in
            tasks.addTask { try await group.run(); return nil }
            tasks.addTask {
                do {
                    let runs = try await watch(timeout: timeout)
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

    /// Polls the store until the last DAG of the chain ended, or every run ended and no new one
    /// came for a few seconds (a DAG that failed before triggering the next).
    private func watch(timeout: TimeInterval) async throws -> [DAGRun] {
        let started = Date()
        var quietSince: Date?
        while true {
            try await Task.sleep(for: .milliseconds(250))
            let runs = try await engine.store.runs(RunQuery()).sorted { $0.queuedAt < $1.queuedAt }
            await progress.update(runs: runs, store: engine.store, elapsed: Date().timeIntervalSince(started))
            let open = runs.contains { !$0.state.isTerminal }
            if let last = runs.last(where: { $0.dagId == Self.chain.last }), last.state.isTerminal, !open {
                progress.finish()
                return runs
            }
            quietSince = open ? nil : (quietSince ?? Date())
            if let quietSince, Date().timeIntervalSince(quietSince) > 5 {
                progress.finish()
                return runs
            }
            if Date().timeIntervalSince(started) > timeout {
                progress.finish()
                throw CLIError.failed("the demo did not finish within \(Int(timeout)) s; "
                                      + "inspect it with `updraft runs list --home \(engine.home.root)`")
            }
        }
    }
}
