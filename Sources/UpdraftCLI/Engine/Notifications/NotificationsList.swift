import ArgumentParser
import Foundation
import UpdraftRuntime
import UpdraftStore

/// `updraft notifications list [--status S] [--dag D] [--channel C] [--limit N] [--attempts] [--json]`.
struct NotificationsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the outbox's messages, newest first, with their delivery status and attempts.")

    @OptionGroup var engine: EngineOptions
    @Option(help: "Only messages in this status: pending, sent or failed.") var status: String?
    @Option(help: "Only messages about this DAG.") var dag: String?
    @Option(help: "Only messages of this channel.") var channel: String?
    @Option(help: "At most this many messages.") var limit = 50
    @Flag(help: "Show each message's attempts under it.") var attempts = false
    @Flag(help: "Print a JSON array.") var json = false

    func validate() throws {
        if let status, NotificationStatus(rawValue: status) == nil {
            throw ValidationError("--status must be one of \(NotificationStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let engine = try await engine.engine()
        let records = try await engine.store.notifications(
            NotificationQuery(status: status.flatMap(NotificationStatus.init(rawValue:)), dagId: dag, channel: channel, limit: limit))
        if json {
            var rows: [JSONValue] = []
            for record in records {
                var row: [String: JSONValue] = [
                    "id": .number(Double(record.id)), "key": .string(record.draft.key), "channel": .string(record.draft.channel),
                    "event": .string(record.draft.event), "dag_id": record.draft.dagId.map(JSONValue.string) ?? .null,
                    "run_id": record.draft.runId.map(JSONValue.string) ?? .null, "title": .string(record.draft.title),
                    "tasks": .array(record.draft.items.map { .string($0.taskId) }), "status": .string(record.status.rawValue),
                    "attempts": .number(Double(record.attempts)), "created_at": JSONOutput.date(record.draft.createdAt),
                    "next_attempt_at": record.status == .pending ? JSONOutput.date(record.nextAttemptAt) : .null,
                    "sent_at": JSONOutput.date(record.sentAt), "last_error": record.lastError.map(JSONValue.string) ?? .null,
                ]
                if attempts {
                    row["attempt_log"] = .array(
                        try await engine.store.notificationAttempts(id: record.id).map {
                            .object([
                                "number": .number(Double($0.number)), "at": JSONOutput.date($0.at),
                                "error": $0.error.map(JSONValue.string) ?? .null,
                            ])
                        })
                }
                rows.append(.object(row))
            }
            JSONOutput.print(rows)
            return
        }
        guard !records.isEmpty else {
            print("no notifications")
            return
        }
        var table = Columns(["ID", "CREATED", "CHANNEL", "EVENT", "DAG", "RUN", "STATUS", "TRIES", "TITLE"])
        for record in records {
            let status =
                record.status == .pending && record.attempts > 0
                ? "retry at \(TimeText.iso8601(record.nextAttemptAt))" : record.status.rawValue
            table.add([
                "\(record.id)", TimeText.iso8601(record.draft.createdAt), record.draft.channel, record.draft.event,
                record.draft.dagId ?? "-", record.draft.runId ?? "-", status, "\(record.attempts)", record.draft.title,
            ])
        }
        print(table.text)
        for record in records where attempts || record.lastError != nil {
            for attempt in attempts ? try await engine.store.notificationAttempts(id: record.id) : [] {
                print("  #\(record.id) attempt \(attempt.number) at \(TimeText.iso8601(attempt.at)): \(attempt.error ?? "sent")")
            }
            if !attempts, let error = record.lastError { print("  #\(record.id) last error: \(error)") }
        }
    }
}
