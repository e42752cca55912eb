import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// The log of one try, as Airflow serves it: JSON `{content: [StructuredLogMessage],
/// continuation_token}` by default, NDJSON (one message per line) with
/// `Accept: application/x-ndjson`. The token is the byte offset read so far: a client that
/// passes it back gets only what was written since, so it can follow a running try. An NDJSON
/// reader of a running try is followed live until the try ends.
public enum TaskLogRoute {
    static func answer(_ request: APIRequest) async throws -> APIResponse {
        let (run, instance) = try await TaskInstanceRoutes.lookup(request)
        let context = request.context
        let tryText = request.path("try_number")
        guard let number = Int(tryText), number >= 1, number <= max(instance.tryNumber, 1) else {
            throw APIError.notFound(
                "TaskInstance with dag_id: `\(run.dagId)`, run_id: `\(run.runId)`, task_id: `\(instance.taskId)` and try_number: `\(tryText)` not found"
            )
        }
        let key = TryKey(dagId: run.dagId, runId: run.runId, taskId: instance.taskId, tryNumber: number)
        let engine = context.engine
        var offset = 0
        if request.bool("full_content") != true, let token = request.string("token") {
            guard let decoded = decodeToken(token) else { throw APIError.badRequest("Bad continuation token") }
            offset = decoded
        }
        let accept = request.headers[.accept] ?? ""
        if accept.contains("application/x-ndjson") {
            let taskId = instance.taskId
            let store = context.store
            let start = offset
            var headers = HTTPFields()
            headers[.contentType] = "application/x-ndjson"
            return APIResponse(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    var position = start
                    while true {
                        let (lines, end) = try await read(engine, key, from: position)
                        position = end
                        if !lines.isEmpty {
                            var json = JSONWriter(capacity: 128 * lines.count)
                            for line in lines {
                                message(&json, line)
                                json.raw([UInt8(ascii: "\n")])
                            }
                            try await writer.write(ByteBuffer(bytes: json.bytes))
                        }
                        // Follow while this try is the current one and still running.
                        guard let current = try await store.taskInstance(run: run.key, taskId: taskId),
                            current.tryNumber == number, current.state.isActive
                        else { break }
                        try await Task.sleep(for: .milliseconds(500))
                    }
                    try await writer.finish(nil)
                })
        }
        let (lines, end) = try await read(engine, key, from: offset)
        return .json(capacity: 256 + 128 * lines.count) { json in
            json.object { o in
                o.field("content") { json in json.array(lines) { json, line in message(&json, line) } }
                o.field("continuation_token", encodeToken(end))
            }
        }
    }

    /// A `[timestamp] LEVEL - text` line as a structured message (`event`, `timestamp`, `level`).
    static func message(_ json: inout JSONWriter, _ line: String) {
        json.object { o in
            if line.hasPrefix("["), let close = line.firstIndex(of: "]"),
                let date = APIDate.parse(String(line[line.index(after: line.startIndex)..<close]))
            {
                let rest = line[line.index(after: close)...].drop { $0 == " " }
                if let dash = rest.range(of: " - ") {
                    o.field("event", String(rest[dash.upperBound...]))
                    o.field("level", String(rest[..<dash.lowerBound]).lowercased())
                } else {
                    o.field("event", String(rest))
                }
                o.field("timestamp", date)
            } else {
                o.field("event", line)
                o.nullField("timestamp")
            }
        }
    }

    /// The complete lines of a try's log from `offset` on (this host's file, else what its remote
    /// worker shipped), and the offset after the last of them. A log not written yet is empty.
    public static func read(_ engine: Engine, _ key: TryKey, from offset: Int) async throws -> ([String], Int) {
        let data = try await engine.tryLog(key, from: offset)
        guard let lastNewline = data.lastIndex(of: 0x0A) else { return ([], offset) }
        let complete = data[...lastNewline]
        let lines = String(decoding: complete, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
        return (lines, offset + complete.count)
    }

    public static func encodeToken(_ offset: Int) -> String {
        Data("{\"log_pos\":\(offset)}".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decodeToken(_ token: String) -> Int? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64),
            case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: data),
            let position = fields["log_pos"]?.intValue, position >= 0
        else { return nil }
        return position
    }
}
