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
    /// The start-up frame: when set, written to every worker (replacements too) before its first
    /// job, and handed to the `start` closure of
    /// ``WorkerProcess/serveIfRequested(marker:start:)``. The engine sends the effective
    /// configuration this way, so a worker never looks it up in the environment.
    public var startup: [UInt8]?
    /// A worker idle this long exits (its request pipe is closed), so an idle pool costs no
    /// memory; the next job spawns one again. `nil`: workers stay until shutdown.
    public var idleTimeout: Duration?

    /// Creates a configuration for `size` workers (at least 1).
    public init(
        size: Int, executable: String = "/proc/self/exe",
        arguments: [String] = ["__updraft_worker"], environment: [String: String] = [:],
        startup: [UInt8]? = nil, idleTimeout: Duration? = nil
    ) {
        self.size = max(1, size)
        self.idleTimeout = idleTimeout
        self.startup = startup
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
    }
}
