import Foundation
import UpdraftRuntime

/// Waits for a run: follows the live process that executes it (a scheduler, or another
/// `--wait`), or executes the run in this process with a worker pool when none is alive (so no
/// daemon is needed, and a run whose owner died is taken over).
struct RunWaiter {
    let engine: Engine
    let execution: ExecutionOptions
    /// Sends the outbox while this process executes a run, and once after it (no scheduler may run).
    var delivery: (any NotificationDelivery)?

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

    /// Sends due messages every 5 seconds until cancelled; the first store error is said on standard error.
    static func deliver(_ delivery: any NotificationDelivery, engine: Engine) async {
        var said = false
        while !Task.isCancelled {
            do { try await delivery.deliverDue(now: engine.clock.now) } catch {
                if !said { FileHandle.standardError.write(Data("could not deliver notifications: \(error)\n".utf8)) }
                said = true
            }
            do { try await Task.sleep(for: .seconds(5)) } catch { return }
        }
    }

    /// Executes the run here; SIGINT/SIGTERM hand running tries back, SIGUSR1 re-reads the run.
    func execute(_ key: RunKey) async throws -> RunState {
        let executor = try await execution.executor()
        let shutdown = ShutdownSignal()
        let stop = StopSignals { shutdown.fire() }
        let wakeUp = WakeUpSignal { shutdown.notifyExternalChange() }
        defer { stop.cancel(); wakeUp.cancel() }
        let sender = delivery.map { delivery in Task { await Self.deliver(delivery, engine: engine) } }
        let state: RunState?
        do { state = try await engine.execute(key, executor: executor, shutdown: shutdown) } catch {
            sender?.cancel()
            await executor.shutdown(); throw error
        }
        await executor.shutdown()
        sender?.cancel()
        await sender?.value
        if let delivery {
            // The run's messages are due at its end; what fails now is retried by a scheduler later.
            do { try await delivery.deliverDue(now: engine.clock.now) } catch {
                FileHandle.standardError.write(Data("could not deliver notifications: \(error)\n".utf8))
            }
        }
        guard let state else { throw CLIError.failed("interrupted; run \(key.runId) is handed back and resumes later") }
        return state
    }
}
