import Foundation
import UpdraftRuntime

/// What every bench task does: sleep `sleep_ms`, then append `<task_id> <try>` to a marker file
/// in `marker_dir` (one file per task) so speed and exactly-once can be checked from outside.
enum BenchSupport {
    static let params: [DAGParam] = [
        .integer("sleep_ms", default: 0, description: "Milliseconds each task sleeps."),
        .string("marker_dir", default: nil, description: "When set, each try appends '<task_id> <try>' there."),
    ]

    static func work(_ context: TaskContext) async throws {
        if let milliseconds = context[param: "sleep_ms"]?.intValue, milliseconds > 0 {
            try await Task.sleep(for: .milliseconds(milliseconds))
        }
        mark(context)
    }

    static func mark(_ context: TaskContext) {
        guard let folder = context[param: "marker_dir"]?.stringValue else { return }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = "\(folder)/\(context.taskId)"
        let line = "\(context.taskId) \(context.tryNumber)\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { return }
        _ = line.withCString { write(fd, $0, strlen($0)) }
        fsync(fd)
        close(fd)
    }
}
