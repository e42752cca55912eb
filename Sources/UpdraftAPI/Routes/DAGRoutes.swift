import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `/api/v2/dags…`: list, get, details, pause, versions.
enum DAGRoutes {
    static let base = AirflowRoutes.prefix + "/dags"

    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, base, id: "get_dags", tag: "DAG", summary: "List DAGs", role: .viewer,
                query: QueryParameter.paging + [
                    .init("tags", .strings, "Only DAGs with these tags."),
                    .init("tags_match_mode", .choice(["any", "all"]), "Whether a DAG needs any or all of the tags.", default: "any"),
                    .init("owners", .strings, "Only DAGs of these owners."),
                    .init("dag_id_pattern", .string, "SQL LIKE pattern on the DAG id (case-insensitive)."),
                    .init("dag_display_name_pattern", .string, "SQL LIKE pattern on the display name."),
                    .init("exclude_stale", .boolean, "Leave out DAGs no longer in the code.", default: true),
                    .init("paused", .boolean, "Only paused (true) or active (false) DAGs."),
                    .init("last_dag_run_state", .choice(Schema.dagRunStates), "Only DAGs whose latest run is in this state."),
                    QueryParameter.orderBy(
                        ["dag_id", "dag_display_name", "next_dagrun", "last_run_state", "last_run_start_date"], default: "dag_id"),
                ], responses: [.ok("DAGCollectionResponse")]
            ) { request in
                let context = request.context
                let entries = Dictionary(
                    try await context.store.dagEntries().map { ($0.dagId, $0) }, uniquingKeysWith: { $1 })
                let tags = Set(request.strings("tags"))
                let all = request.string("tags_match_mode") == "all"
                let owners = Set(request.strings("owners"))
                let paused = request.bool("paused")
                var dags = context.engine.registry.ids.compactMap { context.engine.registry.dags[$0] }.filter { dag in
                    if !tags.isEmpty {
                        let has = tags.intersection(dag.tags)
                        if all ? has.count < tags.count : has.isEmpty { return false }
                    }
                    if !owners.isEmpty, !owners.contains("updraft") { return false }
                    if !likeMatches(request.string("dag_id_pattern"), dag.id) { return false }
                    if !likeMatches(request.string("dag_display_name_pattern"), dag.id) { return false }
                    if let paused, (entries[dag.id]?.isPaused ?? dag.isPausedAtCreation) != paused { return false }
                    return true
                }
                var latest: [String: DAGRun] = [:]
                let order = try SortOrder.parse(
                    request.strings("order_by"),
                    allowed: ["dag_id", "dag_display_name", "next_dagrun", "last_run_state", "last_run_start_date"],
                    default: "dag_id")
                if request.string("last_dag_run_state") != nil || order.field.hasPrefix("last_run") {
                    for dag in dags {
                        latest[dag.id] = try await context.store.runs(RunQuery(dagId: dag.id, limit: 1)).first
                    }
                    if let state = request.string("last_dag_run_state") {
                        dags = dags.filter { latest[$0.id]?.state.rawValue == state }
                    }
                }
                let now = context.now
                func due(_ dag: DAG) -> Date {
                    dag.schedule.nextDueDate(
                        after: entries[dag.id]?.lastScheduledInterval, startDate: dag.startDate, catchup: dag.catchup, now: now)
                        ?? .distantFuture
                }
                dags.sort { a, b in
                    let ascending: Bool
                    switch order.field {
                    case "next_dagrun": ascending = due(a) == due(b) ? a.id < b.id : due(a) < due(b)
                    case "last_run_state": ascending = (latest[a.id]?.state.rawValue ?? "") < (latest[b.id]?.state.rawValue ?? "")
                    case "last_run_start_date":
                        ascending = (latest[a.id]?.startDate ?? .distantPast) < (latest[b.id]?.startDate ?? .distantPast)
                    default: ascending = a.id < b.id
                    }
                    return order.descending ? !ascending : ascending
                }
                let page = dags.page(request.page)
                return .json(capacity: 2048 * max(1, page.count)) { json in
                    json.object { o in
                        o.field("dags") { json in
                            json.array(page) { json, dag in
                                json.object { o in Representation.dag(&o, dag, entry: entries[dag.id], now: now) }
                            }
                        }
                        o.field("total_entries", dags.count)
                    }
                }
            },
            Endpoint(
                .get, base + "/{dag_id}", id: "get_dag", tag: "DAG", summary: "Get a DAG", role: .viewer,
                responses: [.ok("DAGResponse")]
            ) { request in
                let (dag, entry) = try await lookup(request)
                let now = request.context.now
                return .json { json in json.object { o in Representation.dag(&o, dag, entry: entry, now: now) } }
            },
            Endpoint(
                .get, base + "/{dag_id}/details", id: "get_dag_details", tag: "DAG", summary: "Get a DAG's details",
                role: .viewer, responses: [.ok("DAGDetailsResponse")]
            ) { request in
                let (dag, entry) = try await lookup(request)
                let context = request.context
                let versions = try await context.store.dagVersions(dagId: dag.id)
                let active = try await context.store.countRuns(RunQuery(dagId: dag.id, states: [.queued, .running]))
                let now = context.now
                return .json { json in
                    json.object { o in
                        Representation.dag(&o, dag, entry: entry, now: now)
                        o.field("catchup", dag.catchup)
                        o.field("dag_run_timeout", dag.dagrunTimeout.map { "\($0)" })
                        o.field("asset_expression", dag.assetCondition.map { JSONValue.object(["expression": .string("\($0)")]) } ?? .null)
                        o.nullField("doc_md")
                        o.field("start_date", dag.startDate)
                        o.nullField("end_date")
                        o.field("is_paused_upon_creation", dag.isPausedAtCreation)
                        var params: [String: JSONValue] = [:]
                        for param in dag.params {
                            params[param.name] = .object([
                                "value": param.defaultValue, "schema": .object(["type": .string(param.kind.rawValue)]),
                                "description": param.description.isEmpty ? .null : .string(param.description),
                            ])
                        }
                        o.field("params", object: params)
                        o.field("render_template_as_native_obj", false)
                        o.nullField("template_search_path")
                        o.field("timezone", "UTC")
                        o.nullField("last_parsed")
                        o.nullField("default_args")
                        o.nullField("owner_links")
                        o.field("concurrency", dag.maxActiveTasks)
                        o.field("latest_dag_version") { json in
                            if let version = versions.last { Representation.dagVersion(&json, version) } else { json.null() }
                        }
                        o.field("active_runs_count", active)
                    }
                }
            },
            Endpoint(
                .patch, base + "/{dag_id}", id: "patch_dag", tag: "DAG", summary: "Pause or unpause a DAG", role: .user,
                query: [.init("update_mask", .strings, "The fields to update (only is_paused).")], body: "DAGPatchBody",
                responses: [.ok("DAGResponse")]
            ) { request in
                var body = try request.bodyReader()
                let paused = body.bool("is_paused", required: true)
                try body.finish()
                let mask = request.strings("update_mask")
                if !mask.isEmpty, mask != ["is_paused"] {
                    throw APIError.badRequest("Only `is_paused` field can be updated through the REST API")
                }
                let (dag, _) = try await lookup(request)
                let context = request.context
                if let paused {
                    _ = try await context.engine.setPaused(dag.id, paused, owner: request.owner)
                }
                let entry = try await context.store.dagEntries().first { $0.dagId == dag.id }
                let now = context.now
                return .json { json in json.object { o in Representation.dag(&o, dag, entry: entry, now: now) } }
            },
            Endpoint(
                .get, base + "/{dag_id}/dagVersions", id: "get_dag_versions", tag: "DagVersion", summary: "List a DAG's versions",
                role: .viewer,
                query: QueryParameter.paging + [QueryParameter.orderBy(["id", "version_number"], default: "id")],
                responses: [.ok("DAGVersionCollectionResponse")]
            ) { request in
                let (dag, _) = try await lookup(request)
                var versions = try await request.context.store.dagVersions(dagId: dag.id)
                let order = try SortOrder.parse(request.strings("order_by"), allowed: ["id", "version_number"], default: "id")
                if order.descending { versions.reverse() }
                let page = versions.page(request.page)
                return .json { json in
                    json.object { o in
                        o.field("dag_versions") { json in json.array(page) { json, version in Representation.dagVersion(&json, version) } }
                        o.field("total_entries", versions.count)
                    }
                }
            },
            Endpoint(
                .get, base + "/{dag_id}/dagVersions/{version_number}", id: "get_dag_version", tag: "DagVersion",
                summary: "Get a DAG version", role: .viewer, responses: [.ok("DagVersionResponse")]
            ) { request in
                let (dag, _) = try await lookup(request)
                let number = request.path("version_number")
                guard
                    let version = try await request.context.store.dagVersions(dagId: dag.id).first(where: {
                        String($0.versionNumber) == number
                    })
                else { throw APIError.notFound("The DagVersion with dag_id: `\(dag.id)` and version_number: `\(number)` was not found") }
                return .json { json in Representation.dagVersion(&json, version) }
            },
        ]
    }

    /// The DAG named by the path (404 in Airflow's words otherwise).
    static func lookup(_ request: APIRequest) async throws -> (DAG, DAGEntry?) {
        let id = request.path("dag_id")
        guard let dag = request.context.engine.registry.dags[id] else {
            throw APIError.notFound("Dag with id \(id) was not found")
        }
        let entry = try await request.context.store.dagEntries().first { $0.dagId == id }
        return (dag, entry)
    }
}
