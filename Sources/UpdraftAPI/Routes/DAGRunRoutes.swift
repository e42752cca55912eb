import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `/api/v2/dags/{dag_id}/dagRuns…`: list (`~` for every DAG), trigger, get, patch, delete,
/// clear, the NDJSON wait stream, and the asset events a run consumed.
enum DAGRunRoutes {
    static let base = AirflowRoutes.prefix + "/dags/{dag_id}/dagRuns"
    static let orderFields = [
        "id", "state", "dag_id", "run_id", "logical_date", "run_after", "start_date", "end_date", "updated_at",
        "conf", "duration", "dag_run_id",
    ]

    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, base, id: "get_dag_runs", tag: "DagRun", summary: "List DAG runs", role: .viewer,
                query: QueryParameter.paging + [
                    .init("run_after_gte", .dateTime), .init("run_after_lte", .dateTime),
                    .init("logical_date_gte", .dateTime), .init("logical_date_lte", .dateTime),
                    .init("start_date_gte", .dateTime), .init("start_date_lte", .dateTime),
                    .init("end_date_gte", .dateTime), .init("end_date_lte", .dateTime),
                    .init("run_type", .choices(Schema.dagRunTypes), "Only runs of these types."),
                    .init("state", .choices(Schema.dagRunStates), "Only runs in these states."),
                    .init("run_id_pattern", .string, "SQL LIKE pattern on the run id (case-insensitive)."),
                    QueryParameter.orderBy(orderFields, default: "id"),
                ], responses: [.ok("DAGRunCollectionResponse")]
            ) { request in
                let context = request.context
                let dagId = request.path("dag_id")
                if dagId != "~" { _ = try await DAGRoutes.lookup(request) }
                var query = RunQuery(dagId: dagId == "~" ? nil : dagId)
                let states = request.strings("state").compactMap(RunState.init(rawValue:))
                if !states.isEmpty { query.states = Set(states) }
                let types = request.strings("run_type").compactMap(RunType.init(rawValue:))
                if !types.isEmpty { query.runTypes = Set(types) }
                query.runAfterGte = request.date("run_after_gte"); query.runAfterLte = request.date("run_after_lte")
                query.logicalDateGte = request.date("logical_date_gte"); query.logicalDateLte = request.date("logical_date_lte")
                query.startDateGte = request.date("start_date_gte"); query.startDateLte = request.date("start_date_lte")
                query.endDateGte = request.date("end_date_gte"); query.endDateLte = request.date("end_date_lte")
                query.runIdPattern = request.string("run_id_pattern")
                let order = try SortOrder.parse(request.strings("order_by"), allowed: orderFields, default: "id")
                query.orderBy = try runOrder(order)
                let page = request.page
                query.limit = page.limit
                query.offset = page.offset
                let (runs, total) = try await context.store.runsPage(query)
                let versions = try await versions(of: runs, context)
                return .json(capacity: 1024 * max(1, runs.count)) { json in
                    json.object { o in
                        o.field("dag_runs") { json in
                            json.array(runs) { json, run in Representation.dagRun(&json, run, version: versions[run.dagVersionId ?? ""]) }
                        }
                        o.field("total_entries", total)
                    }
                }
            },
            Endpoint(
                .post, base, id: "trigger_dag_run", tag: "DagRun", summary: "Trigger a DAG run", role: .user,
                body: "TriggerDAGRunPostBody",
                responses: [
                    .ok("DAGRunResponse"), .init(400, "Bad Request", schema: "HTTPExceptionResponse"),
                    .init(409, "Conflict", schema: "HTTPExceptionResponse"),
                ]
            ) { request in
                var body = try request.bodyReader()
                let runId = body.string("dag_run_id")
                let logicalDate = body.date("logical_date")
                let start = body.date("data_interval_start")
                let end = body.date("data_interval_end")
                _ = body.date("run_after")
                let conf = body.object("conf") ?? [:]
                let note = body.string("note")
                if let runId, runId.isEmpty || runId.count > 250 {
                    body.fail("dag_run_id", type: "string_too_short", "A run id has 1 to 250 characters")
                }
                if (start == nil) != (end == nil) {
                    body.fail("data_interval_end", "data_interval_start and data_interval_end must either both be provided or both be None")
                }
                if let start, let end, start > end {
                    body.fail("data_interval_end", "data_interval_start must be before data_interval_end")
                }
                try body.finish()
                let (dag, _) = try await DAGRoutes.lookup(request)
                let context = request.context
                do {
                    _ = try dag.resolveParams(conf)
                } catch let error as ConfError {
                    throw APIError.badRequest(error.message)
                }
                if let runId, try await context.store.run(RunKey(dag.id, runId)) != nil {
                    throw APIError.conflict("DAG run with run_id: `\(runId)` already exists for DAG: `\(dag.id)`")
                }
                let interval = start.flatMap { start in end.map { DataInterval(start: start, end: $0) } }
                let run = try await context.engine.trigger(
                    dagId: dag.id, conf: conf, logicalDate: logicalDate, dataInterval: interval, triggeredBy: .restAPI,
                    runId: runId, note: note, triggeringUserName: request.owner)
                await context.engine.wakeScheduler()
                let versions = try await versions(of: [run], context)
                return .json { json in Representation.dagRun(&json, run, version: versions[run.dagVersionId ?? ""]) }
            },
            Endpoint(
                .get, base + "/{dag_run_id}", id: "get_dag_run", tag: "DagRun", summary: "Get a DAG run", role: .viewer,
                responses: [.ok("DAGRunResponse")]
            ) { request in
                let run = try await lookup(request)
                let versions = try await versions(of: [run], request.context)
                return .json { json in Representation.dagRun(&json, run, version: versions[run.dagVersionId ?? ""]) }
            },
            Endpoint(
                .patch, base + "/{dag_run_id}", id: "patch_dag_run", tag: "DagRun", summary: "Change a DAG run's state or note",
                role: .user, query: [.init("update_mask", .strings, "The fields to update (state, note).")],
                body: "DAGRunPatchBody", responses: [.ok("DAGRunResponse"), .init(400, "Bad Request", schema: "HTTPExceptionResponse")]
            ) { request in
                var body = try request.bodyReader()
                let state = body.choice("state", ["queued", "success", "failed"])
                let hasNote = body.has("note")
                let note = body.string("note")
                try body.finish()
                var run = try await lookup(request)
                let context = request.context
                let mask = Set(request.strings("update_mask"))
                for field in mask where field != "state" && field != "note" {
                    throw APIError.badRequest("Invalid update_mask field: '\(field)'")
                }
                if mask.isEmpty || mask.contains("state"), let state {
                    switch state {
                    case "queued":
                        // Airflow re-queues by clearing every task of the run.
                        let instances = try await context.store.taskInstances(run: run.key)
                        try await context.engine.clear(run: run.key, taskIds: instances.map(\.taskId), owner: request.owner)
                        await context.engine.wakeScheduler()
                    default:
                        _ = try await context.engine.markRun(run: run.key, state: RunState(rawValue: state)!, owner: request.owner)
                    }
                }
                if (mask.isEmpty && hasNote) || mask.contains("note") {
                    try await context.engine.setRunNote(run.key, note: note, owner: request.owner)
                }
                run = try await lookup(request)
                let versions = try await versions(of: [run], context)
                return .json { json in Representation.dagRun(&json, run, version: versions[run.dagVersionId ?? ""]) }
            },
            Endpoint(
                .delete, base + "/{dag_run_id}", id: "delete_dag_run", tag: "DagRun", summary: "Delete a DAG run", role: .user,
                responses: [.noContent, .init(409, "The run is being executed", schema: "HTTPExceptionResponse")]
            ) { request in
                let run = try await lookup(request)
                let context = request.context
                if !run.state.isTerminal, let owner = try await context.engine.liveOwner(of: run.key) {
                    throw APIError.conflict("run '\(run.runId)' of DAG '\(run.dagId)' is being executed by \(owner); mark it failed first")
                }
                try await context.engine.deleteRun(run.key, owner: request.owner)
                return .noContent
            },
            Endpoint(
                .post, base + "/{dag_run_id}/clear", id: "clear_dag_run", tag: "DagRun", summary: "Clear a DAG run", role: .user,
                body: "DAGRunClearBody", responses: [.ok("DAGRunClearResponse")]
            ) { request in
                var body = try request.bodyReader()
                let dryRun = body.bool("dry_run") ?? true
                let onlyFailed = body.bool("only_failed") ?? false
                _ = body.bool("run_on_latest_version")
                _ = body.string("note")
                try body.finish()
                let run = try await lookup(request)
                let context = request.context
                let instances = try await context.store.taskInstances(run: run.key)
                let chosen = instances.filter { !onlyFailed || $0.state.isFailure }
                if dryRun {
                    return try await TaskInstanceRoutes.collection(chosen, runs: [run.key: run], context: context)
                }
                try await context.engine.clear(run: run.key, taskIds: chosen.map(\.taskId), failedOnly: onlyFailed, owner: request.owner)
                await context.engine.wakeScheduler()
                let cleared = try await lookup(request)
                let versions = try await versions(of: [cleared], context)
                return .json { json in Representation.dagRun(&json, cleared, version: versions[cleared.dagVersionId ?? ""]) }
            },
            Endpoint(
                .get, base + "/{dag_run_id}/wait", id: "wait_dag_run_until_finished", tag: "DagRun",
                summary: "Wait for a DAG run to finish (NDJSON stream)", role: .viewer,
                query: [
                    .init("interval", .integer, "Seconds between two state lines.", minimum: 1, default: 1),
                    .init("result", .strings, "Task ids whose XCom return_value to add to the last line."),
                ],
                responses: [.init(200, "One JSON object per line until the run ends", contentType: "application/x-ndjson")]
            ) { request in
                let run = try await lookup(request)
                let context = request.context
                let interval = Double(request.int("interval") ?? 1)
                let results = request.strings("result")
                let key = run.key
                var headers = HTTPFields()
                headers[.contentType] = "application/x-ndjson"
                return APIResponse(
                    status: .ok, headers: headers,
                    body: ResponseBody { writer in
                        while true {
                            guard let current = try await context.store.run(key) else { break }
                            var values: [String: JSONValue] = [:]
                            if current.state.isTerminal {
                                for task in results {
                                    // A missing or unreadable result is null: the stream reports the state either way.
                                    let bytes = try? await context.store.xcom(run: key, taskId: task, key: "return_value")
                                    values[task] = bytes.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0)) } ?? .null
                                }
                            }
                            var json = JSONWriter(capacity: 64)
                            json.object { o in
                                o.field("state", current.state.rawValue)
                                if current.state.isTerminal, !results.isEmpty { o.field("results", object: values) }
                            }
                            json.raw([UInt8(ascii: "\n")])
                            try await writer.write(ByteBuffer(bytes: json.bytes))
                            if current.state.isTerminal { break }
                            try await Task.sleep(for: .seconds(interval))
                        }
                        try await writer.finish(nil)
                    })
            },
            Endpoint(
                .get, base + "/{dag_run_id}/upstreamAssetEvents", id: "get_upstream_asset_events", tag: "DagRun",
                summary: "The asset events that triggered a run", role: .viewer, responses: [.ok("AssetEventCollectionResponse")]
            ) { request in
                let run = try await lookup(request)
                let events = try await request.context.store.assetEvents(consumedBy: run.key)
                return try await AssetRoutes.eventCollection(events, total: events.count, context: request.context)
            },
        ]
    }

    /// The run named by the path.
    static func lookup(_ request: APIRequest) async throws -> DAGRun {
        let dagId = request.path("dag_id")
        let runId = request.path("dag_run_id")
        guard request.context.engine.registry.dags[dagId] != nil else { throw APIError.notFound("Dag with id \(dagId) was not found") }
        guard let run = try await request.context.store.run(RunKey(dagId, runId)) else {
            throw APIError.notFound("The DagRun with dag_id: `\(dagId)` and run_id: `\(runId)` was not found")
        }
        return run
    }

    /// The versions the runs record, by id.
    static func versions(of runs: [DAGRun], _ context: APIServerContext) async throws -> [String: DAGVersionRecord] {
        var versions: [String: DAGVersionRecord] = [:]
        for id in Set(runs.compactMap(\.dagVersionId)) {
            if let version = try await context.store.dagVersion(id: id) { versions[id] = version }
        }
        return versions
    }

    static func runOrder(_ order: SortOrder) throws(APIError) -> RunOrder {
        let field: RunOrder.Field =
            switch order.field {
            case "state": .state
            case "dag_id": .dagId
            case "run_id", "dag_run_id": .runId
            case "logical_date": .logicalDate
            case "run_after": .runAfter
            case "start_date", "duration": .startDate
            case "end_date", "updated_at": .endDate
            default: .id
            }
        return RunOrder(field, descending: order.descending)
    }
}
