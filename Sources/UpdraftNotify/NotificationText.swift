import Foundation
import UpdraftStore

/// Turns an outbox record into the message people read: a grouped title when several tasks
/// of a run failed, each task with its try and its error's last line, and how to look (the
/// CLI commands, and the web UI's page when `ui_url` is set).
public enum NotificationText {
    /// At most this many tasks are listed in a grouped message.
    static let listedTasks = 10

    public static func notification(_ record: NotificationRecord, uiURL: String = "") -> Notification {
        let draft = record.draft
        let tasks = draft.items.filter { $0.tryNumber > 0 }
        var title = draft.title
        var lines = draft.lines
        if tasks.count > 1, let dagId = draft.dagId, let runId = draft.runId {
            title =
                draft.event == "task_retry"
                ? "\(dagId): \(tasks.count) tasks failed a try in run \(runId) and will retry"
                : "\(dagId): \(tasks.count) tasks failed in run \(runId)"
            for item in tasks.prefix(listedTasks) {
                lines.append("\(item.taskId) (try \(item.tryNumber)): \(item.lines.last ?? "no error text")")
            }
            if tasks.count > listedTasks { lines.append("… and \(tasks.count - listedTasks) more") }
            if let first = tasks.first, first.lines.count > 1 {
                lines.append("Last lines of \(first.taskId):")
                lines += first.lines
            }
        } else if let only = tasks.first {
            lines += only.lines
        }
        var links: [Notification.Link] = []
        let ui = uiURL.hasSuffix("/") ? String(uiURL.dropLast()) : uiURL
        if let dagId = draft.dagId, let runId = draft.runId {
            links.append(.init("updraft runs show \(runId) --dag \(dagId)"))
            if tasks.count == 1, let task = tasks.first {
                links.append(.init("updraft tasks logs \(runId) \(task.taskId) --dag \(dagId) --try \(task.tryNumber)"))
            }
            if !ui.isEmpty {
                let run = "\(ui)/dags/\(path(dagId))/runs/\(path(runId))"
                links.append(.init("web UI", url: tasks.count == 1 ? "\(run)/tasks/\(path(tasks[0].taskId))" : run))
            }
        } else if let dagId = draft.dagId {
            links.append(.init("updraft dags show \(dagId)"))
            if !ui.isEmpty { links.append(.init("web UI", url: "\(ui)/dags/\(path(dagId))/grid")) }
        }
        return Notification(
            event: draft.event, title: title, lines: lines, dagId: draft.dagId, runId: draft.runId,
            taskId: tasks.count == 1 ? tasks[0].taskId : (draft.items.count == 1 ? draft.items[0].taskId : nil),
            tryNumber: tasks.count == 1 ? tasks[0].tryNumber : nil, links: links, timestamp: draft.createdAt)
    }

    /// A path segment (run ids hold `:` and `+`).
    static func path(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/:+"))) ?? segment
    }
}
