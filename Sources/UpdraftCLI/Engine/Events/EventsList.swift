import ArgumentParser
import Foundation
import UpdraftRuntime
import UpdraftStore

/// `updraft events list [--dag DAG] [--limit N]`.
struct EventsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List audit log entries, newest first.")

    @OptionGroup var engine: EngineOptions
    @Option(name: .customLong("dag"), help: "Only entries of this DAG.") var dagId: String?
    @Option(help: "Only entries of this event (e.g. trigger_dag_run, clear, pause_dag).") var event: String?
    @Option(help: "At most this many entries.") var limit = 50
    @Flag(help: "Print a JSON array.") var json = false

    func validate() throws { if limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") } }

    func run() async throws {
        let store = try await engine.engine().store
        let (records, total) = try await store.eventLogs(
            EventLogQuery(dagId: dagId, event: event, limit: limit, orderBy: "-event_log_id"))
        if json { JSONOutput.print(records.map(Self.json)); return }
        var table = Columns(["ID", "WHEN", "EVENT", "OWNER", "DAG", "RUN", "TASK", "EXTRA"])
        for r in records {
            table.add([
                "\(r.id)", RunIdentifier.timestamp(r.when), r.event, r.owner ?? "", r.dagId ?? "", r.runId ?? "",
                r.taskId ?? "", r.extra ?? "",
            ])
        }
        print(table.text)
        if total > records.count { print("(\(records.count) of \(total) entries; --limit shows more)") }
    }

    /// Airflow's `EventLogResponse` field names.
    static func json(_ r: EventLogRecord) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func number(_ value: Int?) -> JSONValue { value.map { .number(Double($0)) } ?? .null }
        return .object([
            "event_log_id": .number(Double(r.id)), "when": JSONOutput.date(r.when), "event": .string(r.event),
            "owner": text(r.owner), "dag_id": text(r.dagId), "run_id": text(r.runId), "task_id": text(r.taskId),
            "try_number": number(r.tryNumber), "map_index": number(r.mapIndex), "logical_date": JSONOutput.date(r.logicalDate),
            "extra": text(r.extra),
        ])
    }
}
