/// A worker process that died during a job: who, how, and the last words it wrote to stderr.
public struct WorkerCrash: Sendable, Equatable, Error, CustomStringConvertible {
    /// The worker's process id.
    public var pid: Int32
    /// The exit status when the process exited (e.g. `exit(3)` → 3).
    public var exitCode: Int32?
    /// The signal that killed the process (e.g. SIGILL for a Swift trap on x86_64).
    public var signal: Int32?
    /// The last lines the worker wrote to stderr (its pipe, and the job's output file
    /// when the job had an `outputPath`).
    public var stderrTail: String
    /// The Swift runtime's `Fatal error: …` line, when the worker wrote one.
    public var fatalError: String?

    /// Creates a crash report.
    public init(
        pid: Int32, exitCode: Int32? = nil, signal: Int32? = nil, stderrTail: String = "",
        fatalError: String? = nil
    ) {
        self.pid = pid
        self.exitCode = exitCode
        self.signal = signal
        self.stderrTail = stderrTail
        self.fatalError = fatalError ?? Self.fatalErrorLine(in: stderrTail)
    }

    /// The first line of `text` that holds `Fatal error:` (from the colon's word on).
    static func fatalErrorLine(in text: String) -> String? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains("Fatal error:") }) else { return nil }
        return String(line)
    }

    /// `worker 4242 was killed by signal 4 (SIGILL): Fatal error: …` or `worker 4242 exited with code 3`.
    public var description: String {
        var text = "worker \(pid)"
        if let signal {
            text += " was killed by signal \(signal)" + (Self.signalNames[signal].map { " (\($0))" } ?? "")
        } else if let exitCode {
            text += " exited with code \(exitCode)"
        } else {
            text += " died"
        }
        let lastLine = stderrTail.split(separator: "\n").last(where: { !$0.allSatisfy(\.isWhitespace) }).map(String.init)
        if let line = fatalError ?? lastLine { text += ": \(line)" }
        return text
    }

    private static let signalNames: [Int32: String] = [
        1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
        8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM",
    ]
}
