import Foundation

/// Something that happened to a run; fed to `RunStateMachine.handle(_:now:)`.
public enum RunEvent: Sendable {
    /// The owner starts (or resumes) the run.
    case start
    /// A slot was taken for a `scheduled` task: start its next try. The try is `running` when the
    /// executor starts it at once; `queued` when it waits for a worker (then `.tryStarted` follows).
    case slotGranted(String, queued: Bool = false)
    /// The executor gave try `tryNumber` of a task to a worker after it waited for one: it is
    /// `running` now, started now (also when it was recorded `running` as it was handed over).
    case tryStarted(String, tryNumber: Int)
    /// A try ended.
    case tryFinished(String, TryOutcome)
    /// The retry delay of an `up_for_retry` task elapsed.
    case retryDue(String)
    /// A factory built its tasks.
    case factoryExpanded(String, [TaskNode])
    /// A factory could not build its tasks (the error names it).
    case factoryFailed(String, String)
    /// The run exceeded `dagrunTimeout`.
    case timedOut
    /// The run was cancelled by a user.
    case cancelled
}

/// How a try ended.
public enum TryOutcome: Sendable, Equatable {
    /// Returned normally; a branch passes the downstream ids it follows.
    case success(follow: [String]?)
    /// The task skipped itself.
    case skipped(String)
    /// Threw, trapped, exited or timed out. `retryable` is false for `TaskFailure`.
    case failed(errorType: String?, message: String, retryable: Bool)
    /// Cut off by a shutdown or the owner's death; tried again without using a retry.
    case interrupted
}

/// What the runtime must do after an event; state writes come first and are committed
/// before the actions they enable.
public enum RunAction: Sendable, Equatable {
    /// Persist this task instance row.
    case write(TaskInstance)
    /// Persist a finished try (history).
    case recordTry(TaskTry)
    /// Persist the run's state.
    case setRunState(RunState)
    /// The task is ready: give it a slot when one is free (send `.slotGranted`).
    case schedule(String)
    /// Start try `tryNumber` of the task in an executor.
    case startTry(String, tryNumber: Int)
    /// Wait again for try `tryNumber`, which a previous owner of the run started on a queue that
    /// still holds it (`adoptable`): it was not cut off, so it is neither interrupted nor re-run.
    case resumeTry(String, tryNumber: Int)
    /// Send `.retryDue` at this date.
    case retryAt(String, Date)
    /// Build the factory's tasks and send `.factoryExpanded`.
    case expandFactory(String)
    /// Stop the running try.
    case cancelTry(String)
    /// Call the task's callback for this outcome (success, failed, up_for_retry), after committing.
    case callback(CallbackInfo)
    /// The run ended; call the DAG's callback after committing.
    case finishRun(RunState)
}
