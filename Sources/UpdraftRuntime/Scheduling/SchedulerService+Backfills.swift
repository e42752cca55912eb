import Foundation
import UpdraftCore
import UpdraftStore

extension SchedulerService {
    /// One pass over every active, unpaused backfill whose DAG this registry has: creates its
    /// next runs within its `maxActiveRuns`, and completes it once every interval's run ended.
    func advanceBackfills() async throws {
        for backfill in try await engine.store.backfills(dagId: nil, activeOnly: true)
        where !backfill.isPaused && engine.registry.dags[backfill.dagId] != nil {
            let pass = try await engine.advanceBackfill(id: backfill.id)
            for key in pass.started {
                logger.info(
                    "queued backfill run", metadata: ["backfill": "\(backfill.id)", "dag": "\(key.dagId)", "run": "\(key.runId)"])
            }
            if !pass.backfill.isActive {
                logger.info("backfill completed", metadata: ["backfill": "\(backfill.id)", "dag": "\(backfill.dagId)"])
            }
        }
    }

    /// Which queued runs of active backfills may start: not those of a paused backfill, and no
    /// more than a backfill's `maxActiveRuns` running at once (independently of the DAG's own).
    struct BackfillGate {
        private var backfills: [Int64: BackfillRecord]
        private var active: [Int64: Int] = [:]

        init(_ backfills: [BackfillRecord]) {
            self.backfills = Dictionary(backfills.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        }

        /// Counts a running run of a backfill.
        mutating func noteRunning(_ id: Int64) { active[id, default: 0] += 1 }

        /// Whether a queued run of backfill `id` may start now (and counts it if so). A run of a
        /// completed backfill (a task cleared since) starts as any run does.
        mutating func admit(_ id: Int64) -> Bool {
            guard let backfill = backfills[id] else { return true }
            guard !backfill.isPaused, active[id, default: 0] < backfill.maxActiveRuns else { return false }
            active[id, default: 0] += 1
            return true
        }
    }
}
