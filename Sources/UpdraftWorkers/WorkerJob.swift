/// One unit of work for a worker process: opaque bytes in, opaque bytes out.
///
/// ```swift
/// let outcome = await pool.run(WorkerJob(payload: Array("echo hi".utf8), timeout: .seconds(5)))
/// ```
public struct WorkerJob: Sendable {
    /// The request handed to the worker's handler (the pool does not interpret it).
    public var payload: [UInt8]
    /// Kill the worker when the job runs longer than this; the outcome is then `.timedOut`.
    public var timeout: Duration?
    /// When set, the worker appends everything the job writes to fd 1 and 2 to this file
    /// (created if missing) and restores its own stdout and stderr afterwards.
    public var outputPath: String?
    /// Where this job's output begins in `outputPath`, when the caller knows (0: the file holds
    /// only this job's output); nil: the pool reads the file's size as it sends the job. A
    /// crash report quotes the output from there.
    public var outputStart: Int?
    /// Among jobs waiting for a worker (``WorkerPool/submit(_:started:completion:)``), higher goes
    /// first; equal ones in the order they came.
    public var priority: Int

    /// Creates a job.
    public init(
        payload: [UInt8], timeout: Duration? = nil, outputPath: String? = nil, outputStart: Int? = nil, priority: Int = 0
    ) {
        self.payload = payload
        self.timeout = timeout
        self.outputPath = outputPath
        self.outputStart = outputStart
        self.priority = priority
    }
}
