import Foundation
import UpdraftCore
import UpdraftStore

extension SchedulerService {
    /// Creates an `asset_triggered` run for each unpaused DAG scheduled on assets whose condition
    /// the queued asset events satisfy (within `maxActiveRuns`); the run consumes every event
    /// queued for the DAG so far.
    func createAssetTriggeredRuns() async throws {
        let paused = Set(try await engine.store.dagEntries().filter(\.isPaused).map(\.dagId))
        for id in engine.registry.ids where !paused.contains(id) {
            guard let condition = engine.registry.dags[id]!.assetCondition else { continue }
            let queued = try await engine.store.queuedAssetEvents(dagId: id)
            guard !queued.isEmpty, condition.isSatisfied(byEventsOf: Set(queued.map(\.assetURI))) else { continue }
            let dag = engine.registry.dags[id]!
            let active = try await engine.store.runs(RunQuery(dagId: id, states: [.queued, .running]))
                .filter { $0.backfillId == nil }.count
            guard active < dag.maxActiveRuns else { continue }
            let run = try await engine.trigger(
                dagId: id, runType: .assetTriggered, triggeredBy: .asset,
                consumedEvents: queued.map(\.id))
            logger.info(
                "created asset-triggered run",
                metadata: [
                    "dag": "\(id)", "run": "\(run.runId)", "events": "\(queued.count)",
                ])
        }
    }
}
