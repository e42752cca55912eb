import Foundation

/// One message to people: what happened (a task failed, a run missed its deadline, a market
/// alert), where to look, and the engine facts a receiver may route on.
///
/// ```swift
/// let message = Notification(
///     event: "task_failed", title: "etl.load failed (try 2 of 3)",
///     lines: ["TaskFailure: the variable api_ok is not 'yes'"],
///     dagId: "etl", runId: run.runId, taskId: "load", tryNumber: 2,
///     links: [("updraft runs show etl " + run.runId, nil)], timestamp: now)
/// ```
public struct Notification: Sendable, Hashable {
    /// A short machine name: `task_failed`, `task_retry`, `run_recovered`, `sla_missed`, `test`…
    public var event: String
    /// One line a person reads first.
    public var title: String
    /// The body: the error's last lines, counts, values.
    public var lines: [String]
    public var dagId: String?
    public var runId: String?
    public var taskId: String?
    public var tryNumber: Int?
    /// How to look: a command or a label, and an address when there is one (the UI's page).
    public var links: [Link]
    public var timestamp: Date

    public struct Link: Sendable, Hashable {
        public var label: String
        public var url: String?
        public init(_ label: String, url: String? = nil) { self.label = label; self.url = url }
    }

    public init(
        event: String, title: String, lines: [String] = [], dagId: String? = nil, runId: String? = nil, taskId: String? = nil,
        tryNumber: Int? = nil, links: [Link] = [], timestamp: Date
    ) {
        self.event = event; self.title = title; self.lines = lines; self.dagId = dagId; self.runId = runId
        self.taskId = taskId; self.tryNumber = tryNumber; self.links = links; self.timestamp = timestamp
    }

    /// Title, body and links as plain text, cut at `limit` characters (with `…`) for services that
    /// refuse longer messages.
    public func plainText(limit: Int = .max) -> String {
        var parts = [title] + lines
        for link in links { parts.append(link.url.map { "\(link.label): \($0)" } ?? link.label) }
        let text = parts.joined(separator: "\n")
        guard text.count > limit else { return text }
        return String(text.prefix(max(0, limit - 1))) + "…"
    }
}
