#if canImport(Glibc)
import Glibc
#endif

/// Opening a file to append output to, made with its folder when missing: a job's output file
/// in a worker, a try's log in the runtime. As few system calls as possible (thousands of tries
/// a run): one `open` when the folder exists.
package enum OutputFile {
    /// A close-on-exec descriptor appending to `path`, or -1 with `errno` set by the last `open`.
    package static func openForAppend(_ path: String) -> Int32 {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd < 0, errno == ENOENT else { return fd }
        makeFolders(of: path)
        return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    }

    /// `mkdir -p` of the path's folder: one `mkdir` when its parent exists (a run's first log),
    /// else every component. A failure shows as the `open`'s error after it.
    private static func makeFolders(of path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        let folder = parts.joined(separator: "/")
        guard !folder.isEmpty, mkdir(folder, 0o755) != 0, errno == ENOENT else { return }
        var prefix = ""
        for (index, part) in parts.enumerated() {
            prefix += index == 0 ? String(part) : "/" + part
            if !prefix.isEmpty { _ = mkdir(prefix, 0o755) }
        }
    }
}
