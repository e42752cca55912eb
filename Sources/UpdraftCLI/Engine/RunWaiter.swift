import Foundation
import UpdraftRuntime

/// Waits for a run: follows a live scheduler, or executes the run in this process with a
/// worker pool when none is alive (so no daemon is needed).
struct RunWaiter {
    let engine: Engine
    let execution: ExecutionOptions

    func wait(for runId: String, schedulerAlive: Bool) async throws -> RunState {
        if schedulerAlive {
            if let run = try engine.store.run(runId),
               try engine.store.dagEntries().contains(where: { $0.dagId == run.dagId && $0.isPaused }) {
                FileHandle.standardError.write(Data("DAG \(run.dagId) is paused: the scheduler starts run \(runId) once it is unpaused\n".utf8))
            }
            while true {
                if let run = try engine.store.run(runId), run.state.isTerminal { return run.state }
                if try engine.liveScheduler() == nil, try engine.liveOwner(of: runId) == nil { break }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        return try await execute(runId)
    }

    /// Executes the run here; SIGINT/SIGTERM hand running tries back, SIGUSR1 re-reads the run.
    func execute(_ runId: String) async throws -> RunState {
        let executor = try await execution.executor()
        let shutdown = ShutdownSignal()
        let stop = StopSignals { shutdown.fire() }
        let wakeUp = WakeUpSignal { shutdown.notifyExternalChange() }
        defer { stop.cancel(); wakeUp.cancel() }
        let state: RunState?
        do { state = try await engine.execute(runId: runId, executor: executor, shutdown: shutdown) }
        catch { await executor.shutdown(); throw error }
        await executor.shutdown()
        guard let state else { throw CLIError.failed("interrupted; run \(runId) is handed back and resumes later") }
        return state
    }
}
