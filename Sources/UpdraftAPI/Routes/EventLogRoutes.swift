import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `/api/v2/eventLogs…`: the audit log of who did what (trigger, clear, mark, pause, pools,
/// variables, connections, users).
enum EventLogRoutes {
    static let base = AirflowRoutes.prefix + "/eventLogs"
    static let orderFields = ["id", "event_log_id", "dttm", "when", "dag_id", "task_id", "run_id", "event", "owner"]

    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, base, id: "get_event_logs", tag: "Event Log", summary: "List event logs", role: .viewer,
                query: QueryParameter.paging + [
                    .init("dag_id", .string), .init("task_id", .string), .init("run_id", .string), .init("event", .string),
                    .init("owner", .string), .init("before", .dateTime), .init("after", .dateTime),
                    QueryParameter.orderBy(orderFields, default: "id"),
                ], responses: [.ok("EventLogCollectionResponse")]
            ) { request in
                let order = try SortOrder.parse(request.strings("order_by"), allowed: orderFields, default: "id")
                let page = request.page
                var query = EventLogQuery()
                query.dagId = request.string("dag_id"); query.taskId = request.string("task_id")
                query.runId = request.string("run_id"); query.event = request.string("event")
                query.owner = request.string("owner"); query.before = request.date("before"); query.after = request.date("after")
                query.limit = page.limit; query.offset = page.offset
                query.orderBy = (order.descending ? "-" : "") + (["dttm", "when"].contains(order.field) ? "when" : "event_log_id")
                let (records, total) = try await request.context.store.eventLogs(query)
                return .json { json in
                    json.object { o in
                        o.field("event_logs") { json in json.array(records) { json, record in Representation.eventLog(&json, record) } }
                        o.field("total_entries", total)
                    }
                }
            },
            Endpoint(
                .get, base + "/{event_log_id}", id: "get_event_log", tag: "Event Log", summary: "Get an event log", role: .viewer,
                responses: [.ok("EventLogResponse")]
            ) { request in
                let id = request.path("event_log_id")
                var query = EventLogQuery()
                query.limit = 1_000_000
                guard let number = Int64(id),
                    let record = try await request.context.store.eventLogs(query).records.first(where: { $0.id == number })
                else { throw APIError.notFound("The Event Log with id: `\(id)` not found") }
                return .json { json in Representation.eventLog(&json, record) }
            },
        ]
    }
}
