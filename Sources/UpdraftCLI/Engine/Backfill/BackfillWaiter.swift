import Foundation
import UpdraftRuntime
import UpdraftStore

/// Follows a backfill until it completes: the live scheduler drives it, or, when none is alive
/// (or it stops meanwhile), this process does, as `dags trigger --wait` runs its run here.
struct BackfillWaiter {
    let engine: Engine
    let execution: ExecutionOptions

    /// The backfill's progress once it completed. On a terminal, a progress line (tasks done of
    /// total over its runs, the busiest group, the rate) rewrites itself on standard error.
    func wait(for id: Int64, schedulerAlive: Bool) async throws -> BackfillProgress {
        let started = Date()
        let engine = self.engine
        let backfill = try await engine.backfill(id: id)
        try await ProgressDisplay().following(line: {
            let plan = try await engine.backfillPlan(try await engine.backfill(id: id))
            var instances: [TaskInstance] = []
            for run in plan.ownRuns { instances += try await engine.store.taskInstances(run: run.key) }
            let progress = plan.progress
            return ProgressLine(
                label: "backfill \(id) \(backfill.dagId) \(progress.done)/\(progress.total) runs", instances: instances,
                elapsed: Date().timeIntervalSince(started)
            ).text
        }) {
            try await follow(id, schedulerAlive: schedulerAlive)
        }
        return try await engine.backfillProgress(id: id)
    }

    private func follow(_ id: Int64, schedulerAlive: Bool) async throws {
        if schedulerAlive {
            while try await engine.liveScheduler() != nil {
                if try await !engine.backfill(id: id).isActive { return }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        try await drive(id)
    }

    /// Drives the backfill here; SIGINT/SIGTERM hand running tries back, SIGUSR1 re-reads runs.
    private func drive(_ id: Int64) async throws {
        let executor = try await execution.executor()
        let shutdown = ShutdownSignal()
        let stop = StopSignals { shutdown.fire() }
        let wakeUp = WakeUpSignal { shutdown.notifyExternalChange() }
        defer { stop.cancel(); wakeUp.cancel() }
        let done: BackfillRecord?
        do { done = try await engine.runBackfill(id: id, executor: executor, shutdown: shutdown) } catch {
            await executor.shutdown(); throw error
        }
        await executor.shutdown()
        guard done != nil else {
            throw CLIError.failed(
                "interrupted; backfill \(id) stays active and its runs are handed back: `updraft scheduler` resumes it")
        }
    }
}
