import Foundation
import UpdraftRuntime

/// One line of progress for a run being waited on: tasks done of total, the group being worked
/// and the rate, e.g. `bench_fanout manual__…: 1,204/10,000 tasks · fan · 3,950 tasks/s · 0.3 s`.
///
/// Factories and groups are not counted: only tasks that run. The group shown is the one most
/// tasks are running in (the top level shows as nothing).
struct ProgressLine: Sendable, Equatable {
    var label: String
    var done: Int
    var total: Int
    var group: String?
    var elapsed: TimeInterval

    init(label: String, instances: [TaskInstance], elapsed: TimeInterval) {
        self.label = label
        self.elapsed = elapsed
        let tasks = instances.filter { $0.kind != "factory" }
        total = tasks.count
        done = tasks.filter { $0.state.isTerminal }.count
        var running: [String: Int] = [:]
        for task in tasks where task.state == .running || task.state == .queued || task.state == .scheduled {
            if let group = task.group { running[group, default: 0] += 1 }
        }
        group = running.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }

    /// The line as shown.
    var text: String {
        var parts = ["\(label): \(done.formatted())/\(total.formatted()) tasks"]
        if let group { parts.append(group) }
        if elapsed > 0 { parts.append("\(Int((Double(done) / elapsed).rounded()).formatted()) tasks/s") }
        parts.append(String(format: "%.1f s", elapsed))
        return parts.joined(separator: " · ")
    }
}

/// Redraws a progress line in place on a terminal (carriage return, clear to end of line);
/// prints nothing when the stream is not a terminal, so piped output stays clean.
struct ProgressDisplay: Sendable {
    let isTerminal: Bool
    private let descriptor: Int32

    /// A display on standard error, live only when it is a terminal.
    init(descriptor: Int32 = STDERR_FILENO, isTerminal: Bool? = nil) {
        self.descriptor = descriptor
        self.isTerminal = isTerminal ?? (isatty(descriptor) == 1)
    }

    /// Rewrites the line.
    func show(_ line: String) {
        guard isTerminal else { return }
        write("\r\(line)\u{1B}[K")
    }

    /// Clears the line, leaving the cursor at the start of an empty line.
    func finish() {
        guard isTerminal else { return }
        write("\r\u{1B}[K")
    }

    private func write(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = Foundation.write(descriptor, $0.baseAddress, $0.count) }
    }

    /// Runs `body` while a line produced by `line` (polled every `interval`) is redrawn; the
    /// line is cleared when `body` ends. A failing poll ends the display without a word:
    /// progress is best effort and never changes what `body` does or reports.
    func following<T: Sendable>(
        every interval: Duration = .milliseconds(200),
        line: @escaping @Sendable () async throws -> String,
        _ body: () async throws -> T
    ) async throws -> T {
        guard isTerminal else { return try await body() }
        let display = self
        let result = await withTaskGroup(of: Void.self, returning: Result<T, any Error>.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    guard let text = try? await line() else { return }  // best effort, see above
                    display.show(text)
                    do { try await Task.sleep(for: interval) } catch { return }
                }
            }
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            group.cancelAll()
            await group.waitForAll()
            return result
        }
        finish()
        return try result.get()
    }
}
