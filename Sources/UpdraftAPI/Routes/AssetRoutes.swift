import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `/api/v2/assets…`: assets with their producers and consumers, asset events, and
/// `POST /assets/events` to record an event from outside (it queues the consuming DAGs' runs).
enum AssetRoutes {
    static let base = AirflowRoutes.prefix + "/assets"

    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, base, id: "get_assets", tag: "Asset", summary: "List assets", role: .viewer,
                query: QueryParameter.paging + [
                    .init("name_pattern", .string), .init("uri_pattern", .string),
                    .init("dag_ids", .strings, "Only assets these DAGs produce or consume."),
                    QueryParameter.orderBy(["id", "name", "uri", "created_at", "updated_at"], default: "id"),
                ], responses: [.ok("AssetCollectionResponse")]
            ) { request in
                let dagIds = Set(request.strings("dag_ids"))
                var assets = try await request.context.store.assets().filter { record in
                    likeMatches(request.string("name_pattern"), record.asset.name)
                        && likeMatches(request.string("uri_pattern"), record.asset.uri)
                        && (dagIds.isEmpty || !dagIds.isDisjoint(with: record.consumingDAGs + record.producingTasks.map(\.dagId)))
                }
                let order = try SortOrder.parse(
                    request.strings("order_by"), allowed: ["id", "name", "uri", "created_at", "updated_at"], default: "id")
                assets.sort { a, b in
                    switch order.field {
                    case "name": a.asset.name < b.asset.name
                    case "uri": a.asset.uri < b.asset.uri
                    case "created_at": a.createdAt < b.createdAt
                    case "updated_at": a.updatedAt < b.updatedAt
                    default: a.id < b.id
                    }
                }
                if order.descending { assets.reverse() }
                let page = assets.page(request.page)
                return .json { json in
                    json.object { o in
                        o.field("assets") { json in json.array(page) { json, record in asset(&json, record) } }
                        o.field("total_entries", assets.count)
                    }
                }
            },
            Endpoint(
                .get, base + "/events", id: "get_asset_events", tag: "Asset", summary: "List asset events", role: .viewer,
                query: QueryParameter.paging + [
                    .init("asset_id", .integer), .init("source_dag_id", .string), .init("source_task_id", .string),
                    .init("source_run_id", .string), .init("source_map_index", .integer),
                    .init("timestamp_gte", .dateTime), .init("timestamp_lte", .dateTime),
                    QueryParameter.orderBy(
                        ["id", "timestamp", "source_dag_id", "source_task_id", "source_run_id", "source_map_index"], default: "timestamp"),
                ], responses: [.ok("AssetEventCollectionResponse")]
            ) { request in
                let order = try SortOrder.parse(
                    request.strings("order_by"),
                    allowed: ["id", "timestamp", "source_dag_id", "source_task_id", "source_run_id", "source_map_index"],
                    default: "timestamp")
                let page = request.page
                var query = AssetEventQuery()
                query.assetId = request.int("asset_id").map(Int64.init)
                query.sourceDagId = request.string("source_dag_id")
                query.sourceTaskId = request.string("source_task_id")
                query.sourceRunId = request.string("source_run_id")
                query.timestampGte = request.date("timestamp_gte")
                query.timestampLte = request.date("timestamp_lte")
                query.limit = page.limit
                query.offset = page.offset
                query.orderBy = (order.descending ? "-" : "") + order.field
                let (events, total) = try await request.context.store.assetEvents(query)
                return try await eventCollection(events, total: total, context: request.context)
            },
            Endpoint(
                .post, base + "/events", id: "create_asset_event", tag: "Asset", summary: "Record an asset event from outside",
                role: .user, body: "CreateAssetEventsBody", responses: [.ok("AssetEventResponse")]
            ) { request in
                var body = try request.bodyReader()
                let assetId = body.int("asset_id", required: true)
                let extra = body.object("extra") ?? [:]
                try body.finish()
                let context = request.context
                guard let assetId, try await context.store.assets().contains(where: { $0.id == Int64(assetId) }) else {
                    throw APIError.notFound("Asset with ID: `\(assetId ?? 0)` was not found")
                }
                var stamped = extra
                stamped["from_rest_api"] = true
                let event = try await context.engine.createAssetEvent(assetId: Int64(assetId), extra: stamped, owner: request.owner)
                await context.engine.wakeScheduler()
                return .json { json in Representation.assetEvent(&json, event, created: []) }
            },
            Endpoint(
                .get, base + "/{asset_id}", id: "get_asset", tag: "Asset", summary: "Get an asset", role: .viewer,
                responses: [.ok("AssetResponse")]
            ) { request in
                let id = request.path("asset_id")
                guard let record = try await request.context.store.assets().first(where: { String($0.id) == id }) else {
                    throw APIError.notFound("The Asset with ID: `\(id)` was not found")
                }
                return .json { json in asset(&json, record) }
            },
        ]
    }

    static func asset(_ json: inout JSONWriter, _ record: AssetRecord) {
        json.object { o in
            o.field("id", record.id)
            o.field("name", record.asset.name)
            o.field("uri", record.asset.uri)
            o.field("group", record.asset.group)
            o.field("extra", object: record.asset.extra)
            o.field("created_at", record.createdAt)
            o.field("updated_at", record.updatedAt)
            o.field("scheduled_dags") { json in
                json.array(record.consumingDAGs) { json, dagId in
                    json.object { o in
                        o.field("dag_id", dagId)
                        o.field("created_at", record.createdAt)
                        o.field("updated_at", record.updatedAt)
                    }
                }
            }
            o.field("producing_tasks") { json in
                json.array(record.producingTasks) { json, task in
                    json.object { o in
                        o.field("dag_id", task.dagId)
                        o.field("task_id", task.taskId)
                        o.field("created_at", record.createdAt)
                        o.field("updated_at", record.updatedAt)
                    }
                }
            }
            o.field("consuming_tasks") { json in json.array([Int]()) { _, _ in } }
            o.field("aliases") { json in json.array([Int]()) { _, _ in } }
            o.field("watchers") { json in json.array([Int]()) { _, _ in } }
            o.field("last_asset_event") { json in
                if let event = record.lastEvent {
                    json.object { o in
                        o.field("id", event.id)
                        o.field("timestamp", event.timestamp)
                    }
                } else {
                    json.null()
                }
            }
        }
    }

    /// `{asset_events, total_entries}`, each with the runs it triggered.
    static func eventCollection(_ events: [AssetEvent], total: Int, context: APIServerContext) async throws -> APIResponse {
        var created: [Int64: [DAGRun]] = [:]
        for event in events {
            for key in try await context.store.runsConsuming(events: [event.id]) {
                if let run = try await context.store.run(key) { created[event.id, default: []].append(run) }
            }
        }
        return .json { json in
            json.object { o in
                o.field("asset_events") { json in
                    json.array(events) { json, event in Representation.assetEvent(&json, event, created: created[event.id] ?? []) }
                }
                o.field("total_entries", total)
            }
        }
    }
}
