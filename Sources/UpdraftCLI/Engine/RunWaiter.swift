import Foundation
import UpdraftRuntime

/// Waits for a run: follows the live process that executes it (a scheduler, or another
/// `--wait`), or executes the run in this process with a worker pool when none is alive (so no
/// daemon is needed, and a run whose owner died is taken over).
struct RunWaiter {
    let engine: Engine
    let execution: ExecutionOptions

    static func isOwned(_ key: RunKey, schedulerAlive: Bool, engine: Engine) async throws -> Bool {
        if schedulerAlive { return true }
        return try await engine.liveOwner(of: key) != nil
    }

    /// The run's final state. `schedulerAlive`: a scheduler was told about the run. On a
    /// terminal, a progress line (tasks done of total, the busiest group, the rate) rewrites
    /// itself on standard error while it waits; piped, nothing is shown.
    func wait(for key: RunKey, schedulerAlive: Bool) async throws -> RunState {
        let started = Date()
        let store = engine.store
        return try await ProgressDisplay().following(line: {
            ProgressLine(
                label: "\(key.dagId) \(key.runId)", instances: try await store.taskInstances(run: key),
                elapsed: Date().timeIntervalSince(started)
            ).text
        }) {
            try await follow(key, schedulerAlive: schedulerAlive)
        }
    }

    private func follow(_ key: RunKey, schedulerAlive: Bool) async throws -> RunState {
        if schedulerAlive, let run = try await engine.store.run(key),
            try await engine.store.dagEntries().contains(where: { $0.dagId == run.dagId && $0.isPaused })
        {
            FileHandle.standardError.write(
                Data("DAG \(run.dagId) is paused: the scheduler starts run \(key.runId) once it is unpaused\n".utf8))
        }
        while try await Self.isOwned(key, schedulerAlive: schedulerAlive, engine: engine) {
            guard let run = try await engine.store.run(key) else { throw RuntimeError.unknownRun(key) }
            if run.state.isTerminal { return run.state }
            if try await engine.liveScheduler() == nil, try await engine.liveOwner(of: key) == nil { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await execute(key)
    }

    /// Executes the run here; SIGINT/SIGTERM hand running tries back, SIGUSR1 re-reads the run.
    func execute(_ key: RunKey) async throws -> RunState {
        let executor = try await execution.executor()
        let shutdown = ShutdownSignal()
        let stop = StopSignals { shutdown.fire() }
        let wakeUp = WakeUpSignal { shutdown.notifyExternalChange() }
        defer { stop.cancel(); wakeUp.cancel() }
        let state: RunState?
        do { state = try await engine.execute(key, executor: executor, shutdown: shutdown) } catch {
            await executor.shutdown(); throw error
        }
        await executor.shutdown()
        guard let state else { throw CLIError.failed("interrupted; run \(key.runId) is handed back and resumes later") }
        return state
    }
}
