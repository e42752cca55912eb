/// How a ``WorkerPool`` starts its worker processes.
///
/// ```swift
/// let pool = WorkerPool(WorkerPoolConfiguration(size: 4))   // 4 copies of this binary
/// ```
public struct WorkerPoolConfiguration: Sendable {
    /// The binary to start; it must call ``WorkerProcess/serveIfRequested(marker:handler:)``
    /// first thing in `main`. Default: this very binary (`/proc/self/exe`).
    public var executable: String
    /// Arguments after argv[0]; the first one is the marker. Default `["__updraft_worker"]`.
    public var arguments: [String]
    /// Variables added to the inherited environment of each worker.
    public var environment: [String: String]
    /// The number of worker processes.
    public var size: Int

    /// Creates a configuration for `size` workers (at least 1).
    public init(size: Int, executable: String = "/proc/self/exe",
                arguments: [String] = ["__updraft_worker"], environment: [String: String] = [:]) {
        self.size = max(1, size)
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
    }
}
