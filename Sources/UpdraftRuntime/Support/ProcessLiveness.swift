import Foundation
import UpdraftStore

// Updraft runs on Linux only: local process liveness reads /proc/<pid>/stat. (Leases also carry
// a heartbeat and an expiry, which hold on any platform, but a local owner's death is detected at
// once only through /proc.) Building elsewhere fails here rather than misjudging live owners.
#if !os(Linux)
#error("Updraft supports Linux only: ProcessIdentity.isAlive reads /proc/<pid>/stat")
#endif

extension ProcessIdentity {
    /// This process.
    public static let current: ProcessIdentity = {
        let pid = getpid()
        return ProcessIdentity(pid: pid, startTime: ProcessIdentity.startTime(of: pid) ?? 0, host: ProcessIdentity.hostName)
    }()

    /// The host name of this machine.
    public static let hostName: String = ProcessInfo.processInfo.hostName

    /// Whether the process still runs: same host, and `/proc/<pid>` shows the same start time
    /// (so a recycled pid is not mistaken for the owner).
    public var isAlive: Bool {
        guard host == ProcessIdentity.hostName else { return true }  // another host: trust its lease
        guard let start = ProcessIdentity.startTime(of: pid) else { return false }
        return start == startTime && !ProcessIdentity.isZombie(pid)
    }

    /// Field 22 of `/proc/<pid>/stat` (start time in clock ticks since boot).
    static func startTime(of pid: Int32) -> UInt64? {
        guard let fields = statFields(pid), fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }

    static func isZombie(_ pid: Int32) -> Bool { statFields(pid)?.first == "Z" }

    /// The fields of `/proc/<pid>/stat` after the command name, starting with the state.
    private static func statFields(_ pid: Int32) -> [Substring]? {
        // No readable /proc/<pid>/stat means no such process.
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }
}
