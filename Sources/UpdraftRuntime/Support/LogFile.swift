import Foundation

/// Opening a try's log file with as few system calls as possible (thousands of tries per run).
enum LogFile {
    /// Creates the folder of `path` (one `mkdir` when its parent exists).
    static func makeFolder(of path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        if mkdir(folder, 0o755) == 0 || errno == EEXIST { return }
        // Best effort: opening the log then fails and the caller reports a missing log.
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// A file descriptor appending to `path` (created with its folder if missing), or -1.
    static func openForAppend(_ path: String) -> Int32 {
        var fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if fd < 0 && errno == ENOENT {
            makeFolder(of: path)
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        }
        return fd
    }

    /// Appends `text` to `path`.
    /// The end of the file, at most `bytes` bytes, from its first whole line; nil when it cannot be read.
    static func tail(_ path: String, bytes: Int) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return nil }
        let start = size > UInt64(bytes) ? size - UInt64(bytes) : 0
        guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd() else { return nil }
        var text = String(decoding: data, as: UTF8.self)
        if start > 0, let newline = text.firstIndex(of: "\n") { text = String(text[text.index(after: newline)...]) }
        return text
    }

    static func append(_ text: String, to path: String) {
        let fd = openForAppend(path)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = text.withCString { write(fd, $0, strlen($0)) }
    }
}
