import Foundation
import UpdraftRuntime

/// JSON rows with Airflow's field names, and the date format the CLI prints.
enum JSONOutput {
    /// `2024-01-01T00:00:00+00:00` (fractional seconds when present).
    static func date(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .string(RunIdentifier.timestamp(date))
    }

    static func run(_ run: DAGRun) -> JSONValue {
        .object([
            "dag_id": .string(run.dagId), "run_id": .string(run.runId), "state": .string(run.state.rawValue),
            "run_type": .string(run.runType.rawValue), "triggered_by": .string(run.triggeredBy.rawValue),
            "logical_date": date(run.logicalDate),
            "data_interval_start": date(run.dataInterval.start), "data_interval_end": date(run.dataInterval.end),
            "queued_at": date(run.queuedAt), "start_date": date(run.startDate), "end_date": date(run.endDate),
            "conf": .object(run.conf), "backfill_id": run.backfillId.map { .number(Double($0)) } ?? .null,
            "run_after": date(run.runAfter),
            "note": run.note.map(JSONValue.string) ?? .null,
            "triggering_user_name": run.triggeringUserName.map(JSONValue.string) ?? .null,
            "dag_version_id": run.dagVersionId.map(JSONValue.string) ?? .null,
        ])
    }

    /// A run with the asset events it consumed (Airflow's `consumed_asset_events`: `asset` is the
    /// asset's URI, as `AssetEventResponse.uri`; `name` is there too).
    static func run(_ run: DAGRun, consumed: [AssetEvent]) -> JSONValue {
        guard case .object(var fields) = self.run(run) else { return self.run(run) }
        fields["consumed_asset_events"] = .array(consumed.map(assetEvent))
        return .object(fields)
    }

    static func assetEvent(_ event: AssetEvent) -> JSONValue {
        .object([
            "id": .number(Double(event.id)), "asset": .string(event.assetURI), "asset_id": .number(Double(event.assetId)),
            "name": .string(event.assetName), "uri": .string(event.assetURI),
            "source_dag_id": .string(event.sourceDagId), "source_run_id": .string(event.sourceRunId),
            "source_task_id": .string(event.sourceTaskId), "source_map_index": .number(Double(event.sourceMapIndex)),
            "timestamp": date(event.timestamp), "extra": .object(event.extra),
        ])
    }

    static func runKey(_ key: RunKey) -> JSONValue {
        .object(["dag_id": .string(key.dagId), "run_id": .string(key.runId)])
    }

    static func task(_ instance: TaskInstance) -> JSONValue {
        .object([
            "dag_id": .string(instance.dagId), "run_id": .string(instance.runId), "task_id": .string(instance.taskId),
            "group": instance.group.map(JSONValue.string) ?? .null, "state": .string(instance.state.rawValue),
            "try_number": .number(Double(instance.tryNumber)), "max_tries": .number(Double(instance.maxTries)),
            "start_date": date(instance.startDate), "end_date": date(instance.endDate),
            "duration": instance.duration.map(JSONValue.number) ?? .null, "pool": .string(instance.pool),
            "pool_slots": .number(Double(instance.poolSlots)), "priority_weight": .number(Double(instance.priority)),
            "queue": .string(instance.queue),
            "operator": .string(instance.kind), "error": instance.error.map(JSONValue.string) ?? .null,
        ])
    }

    /// Prints one JSON value (one line, keys sorted).
    static func print(_ value: JSONValue) {
        var text = ""
        write(value, to: &text)
        Swift.print(text)
    }

    /// Prints a JSON array (one line, keys sorted).
    static func print(_ rows: [JSONValue]) {
        var text = ""
        text.reserveCapacity(rows.count * 300)
        write(.array(rows), to: &text)
        Swift.print(text)
    }

    /// Compact JSON with sorted keys (a direct writer: listings of 10,000 rows stay fast).
    static func write(_ value: JSONValue, to text: inout String) {
        switch value {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 { text += String(Int64(number)) } else { text += "\(number)" }
        case .string(let string): writeString(string, to: &text)
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                write(item, to: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                writeString(key, to: &text)
                text += ":"
                write(members[key]!, to: &text)
            }
            text += "}"
        }
    }

    static func writeString(_ string: String, to text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                if scalar.value < 0x20 { text += String(format: "\\u%04x", scalar.value) } else { text.unicodeScalars.append(scalar) }
            }
        }
        text += "\""
    }
}

/// Left-aligned columns for listings.
struct Columns {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: [String]) { self.header = header }

    mutating func add(_ row: [String]) { rows.append(row) }

    var text: String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// Dates given on the command line: `2024-01-01`, `2024-01-01T06:00`, `2024-01-01T06:00:00Z`, or with `+00:00`.
enum DateArgument {
    static func parse(_ text: String, option: String) throws -> Date {
        let formats = [
            "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX", "yyyy-MM-dd'T'HH:mm:ss",
            "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd",
        ]
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in formats {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        throw CLIError.usage("\(option): '\(text)' is not an ISO 8601 date (e.g. 2024-01-01 or 2024-01-01T06:00:00+00:00)")
    }
}

/// Human text for a duration in seconds.
func durationText(_ seconds: Double?) -> String {
    guard let seconds else { return "-" }
    if seconds < 1 { return String(format: "%.0fms", seconds * 1000) }
    if seconds < 60 { return String(format: "%.1fs", seconds) }
    return String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
}
