/// A worker process could not be started (missing executable, no file descriptors, …).
public struct WorkerSpawnError: Error, Sendable, CustomStringConvertible {
    /// The executable that was to be started.
    public var executable: String
    /// What failed, including the system's error text.
    public var reason: String

    /// `cannot start worker '/path/to/binary': No such file or directory (posix_spawn)`.
    public var description: String { "cannot start worker '\(executable)': \(reason)" }
}
