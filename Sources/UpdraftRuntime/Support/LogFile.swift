import Foundation
import UpdraftWorkers

/// A try's or a run's log file: its tail, and lines appended (opened as workers open them).
enum LogFile {
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

    /// Appends `text` to `path`, creating the file and its folder if missing.
    static func append(_ text: String, to path: String) {
        let fd = OutputFile.openForAppend(path)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = text.withCString { write(fd, $0, strlen($0)) }
    }
}
