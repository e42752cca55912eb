import Foundation
import UpdraftCore
import UpdraftStore

extension Engine {
    /// Drives a backfill in this process until it completes, as a scheduler would: each pass
    /// creates its next runs (``advanceBackfill(id:)``) and this process executes them, at most
    /// the backfill's `maxActiveRuns` at once. Runs a live process owns are left to it (a
    /// scheduler started meanwhile shares the work). What `updraft backfill create --wait` does
    /// when no scheduler is alive.
    ///
    /// Returns the completed backfill, or nil when `shutdown` fired first (running tries are
    /// handed back; the backfill stays active for a scheduler or another `--wait`).
    ///
    /// ```swift
    /// let backfill = try await engine.createBackfill(dagId: "etl", from: a, to: b)
    /// let done = try await engine.runBackfill(id: backfill.id, executor: executor)
    /// ```
    public func runBackfill(
        id: Int64, executor: any TaskExecutor, shutdown: ShutdownSignal? = nil,
        pollInterval: Duration = .milliseconds(50)
    ) async throws -> BackfillRecord? {
        let ledger = SlotLedger(parallelism: executor.handOffDepth, pools: try await store.pools())
        return try await withThrowingTaskGroup(of: RunKey.self) { group in
            var executing: Set<RunKey> = []
            while true {
                let interrupted = shutdown?.isFired == true
                let backfill: BackfillRecord
                if interrupted {
                    backfill = try await self.backfill(id: id)
                } else {
                    backfill = try await advanceBackfill(id: id).backfill
                }
                if executing.isEmpty, interrupted || !backfill.isActive { return interrupted ? nil : backfill }
                if !interrupted, backfill.isActive, !backfill.isPaused {
                    let runs = try await store.runs(
                        RunQuery(dagId: backfill.dagId, states: [.queued, .running], backfillId: id))
                    for run in runs.reversed() where !executing.contains(run.key) {
                        if let owner = try await liveOwner(of: run.key), owner != .current { continue }
                        executing.insert(run.key)
                        group.addTask {
                            do {
                                _ = try await self.execute(run.key, executor: executor, ledger: ledger, shutdown: shutdown)
                            } catch RuntimeError.runOwned {
                                // Taken by another live process since the check: it executes the run.
                            }
                            return run.key
                        }
                    }
                }
                if executing.isEmpty {
                    // Paused, or every active run is another process's: look again shortly.
                    try await Task.sleep(for: pollInterval)
                } else if let ended = try await group.next() {
                    executing.remove(ended)
                }
            }
        }
    }
}
