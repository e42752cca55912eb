import UpdraftCore

/// What a run driver reacts to.
enum DriverEvent: Sendable {
    /// An event for the state machine (retry timer, dagrun timeout, cancel).
    case machine(RunEvent)
    /// An executor finished try `tryNumber` of a task.
    case tryEnded(String, tryNumber: Int, ExecutionResult)
    /// An executor finished building a factory's tasks from `input` (in a worker, so that the
    /// factory's code cannot take the run's owner down).
    case factoryBuilt(String, input: [UInt8], ExecutionResult)
    /// Stop: hand running tries back as interrupted (graceful shutdown).
    case shutdown
    /// Re-read the run row: a user may have cancelled or marked it.
    case externalChange
}
