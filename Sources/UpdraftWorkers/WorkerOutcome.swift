/// How a ``WorkerJob`` ended.
public enum WorkerOutcome: Sendable, Equatable {
    /// The handler returned these bytes.
    case replied([UInt8])
    /// The worker died during the job (trap, `exit`, signal); it has been replaced.
    case crashed(WorkerCrash)
    /// The job ran past its timeout; the worker was killed (SIGKILL) and replaced.
    case timedOut(Duration)
    /// The awaiting Swift task was cancelled; if the job had started, its worker was killed
    /// and replaced.
    case cancelled
}
