import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances…`: list (tasks inside factory groups
/// with their dotted ids; `~` for every run and DAG), get, tries, patch (mark), dependencies
/// (`tasks why`), logs per try, XComs; and `POST /dags/{dag_id}/clearTaskInstances`.
enum TaskInstanceRoutes {
    static let base = DAGRunRoutes.base + "/{dag_run_id}/taskInstances"
    static let task = base + "/{task_id}"
    static let orderFields = [
        "id", "task_id", "state", "start_date", "end_date", "duration", "pool", "queue", "priority_weight", "try_number", "map_index",
    ]

    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, base, id: "get_task_instances", tag: "Task Instance", summary: "List task instances", role: .viewer,
                query: QueryParameter.paging + [
                    .init("task_id", .string, "Only this task."),
                    .init("task_group_id", .string, "Only tasks inside this group (its full dotted id)."),
                    .init("task_display_name_pattern", .string, "SQL LIKE pattern on the task id."),
                    .init("state", .strings, "Only these states (`no_status` for tasks not yet scheduled)."),
                    .init("pool", .strings), .init("queue", .strings),
                    .init("try_number", .strings, "Only these try numbers."),
                    .init("start_date_gte", .dateTime), .init("start_date_lte", .dateTime),
                    .init("end_date_gte", .dateTime), .init("end_date_lte", .dateTime),
                    QueryParameter.orderBy(orderFields, default: "map_index"),
                ], responses: [.ok("TaskInstanceCollectionResponse")]
            ) { request in
                let context = request.context
                let dagId = request.path("dag_id")
                let runId = request.path("dag_run_id")
                var runs: [RunKey: DAGRun] = [:]
                if runId == "~" {
                    if dagId != "~" { _ = try await DAGRoutes.lookup(request) }
                    for run in try await context.store.runs(RunQuery(dagId: dagId == "~" ? nil : dagId)) { runs[run.key] = run }
                } else {
                    guard dagId != "~" else { throw APIError.badRequest("a run id needs its DAG id (`~` only with `~`)") }
                    let run = try await DAGRunRoutes.lookup(request)
                    runs[run.key] = run
                }
                var instances: [TaskInstance] = []
                for key in runs.keys.sorted(by: { ($0.dagId, $0.runId) < ($1.dagId, $1.runId) }) {
                    instances += try await context.store.taskInstances(run: key)
                }
                let states = Set(request.strings("state"))
                let pools = Set(request.strings("pool"))
                let queues = Set(request.strings("queue"))
                let tries = Set(request.strings("try_number").compactMap(Int.init))
                let group = request.string("task_group_id")
                let taskId = request.string("task_id")
                let pattern = request.string("task_display_name_pattern")
                let startGte = request.date("start_date_gte"), startLte = request.date("start_date_lte")
                let endGte = request.date("end_date_gte"), endLte = request.date("end_date_lte")
                instances = instances.filter { instance in
                    if let taskId, instance.taskId != taskId { return false }
                    if let group, !(instance.group == group || instance.group?.hasPrefix(group + ".") == true) { return false }
                    if !likeMatches(pattern, instance.taskId) { return false }
                    if !states.isEmpty {
                        let name = Representation.taskState(instance.state) ?? "no_status"
                        if !states.contains(name) && !(name == "no_status" && states.contains("none")) { return false }
                    }
                    if !pools.isEmpty, !pools.contains(instance.pool) { return false }
                    if !queues.isEmpty, !queues.contains(instance.queue) { return false }
                    if !tries.isEmpty, !tries.contains(instance.tryNumber) { return false }
                    if let startGte, (instance.startDate ?? .distantPast) < startGte { return false }
                    if let startLte, (instance.startDate ?? .distantFuture) > startLte { return false }
                    if let endGte, (instance.endDate ?? .distantPast) < endGte { return false }
                    if let endLte, (instance.endDate ?? .distantFuture) > endLte { return false }
                    return true
                }
                let order = try SortOrder.parse(request.strings("order_by"), allowed: orderFields, default: "map_index")
                if order.field != "map_index" && order.field != "id" {
                    instances.sort { a, b in
                        let ascending: Bool
                        switch order.field {
                        case "state": ascending = (Representation.taskState(a.state) ?? "") < (Representation.taskState(b.state) ?? "")
                        case "start_date": ascending = (a.startDate ?? .distantPast) < (b.startDate ?? .distantPast)
                        case "end_date": ascending = (a.endDate ?? .distantPast) < (b.endDate ?? .distantPast)
                        case "duration": ascending = (a.duration ?? -1) < (b.duration ?? -1)
                        case "pool": ascending = a.pool < b.pool
                        case "queue": ascending = a.queue < b.queue
                        case "priority_weight": ascending = a.priority < b.priority
                        case "try_number": ascending = a.tryNumber < b.tryNumber
                        default: ascending = a.taskId < b.taskId
                        }
                        return order.descending ? !ascending : ascending
                    }
                } else if order.descending {
                    instances.reverse()
                }
                let total = instances.count
                return try await collection(Array(instances.page(request.page)), runs: runs, context: context, total: total)
            },
            Endpoint(
                .get, task, id: "get_task_instance", tag: "Task Instance", summary: "Get a task instance", role: .viewer,
                responses: [.ok("TaskInstanceResponse")]
            ) { request in
                let (run, instance) = try await lookup(request)
                let versions = try await DAGRunRoutes.versions(of: [run], request.context)
                return .json { json in Representation.taskInstance(&json, instance, run: run, version: versions[run.dagVersionId ?? ""]) }
            },
            Endpoint(
                .patch, task, id: "patch_task_instance", tag: "Task Instance", summary: "Mark a task instance", role: .user,
                query: [.init("update_mask", .strings, "The fields to update (new_state, note)."), .init("map_index", .integer)],
                body: "PatchTaskInstanceBody", responses: [.ok("TaskInstanceCollectionResponse")]
            ) { request in
                var body = try request.bodyReader()
                let state = body.choice("new_state", ["success", "failed", "skipped"])
                _ = body.string("note")
                let upstream = body.bool("include_upstream") ?? false
                let downstream = body.bool("include_downstream") ?? false
                _ = body.bool("include_future")
                _ = body.bool("include_past")
                try body.finish()
                let (run, instance) = try await lookup(request)
                let context = request.context
                var changed = [instance.taskId]
                if let state {
                    guard state != "skipped" else { throw APIError.badRequest("Updraft marks task instances success or failed only") }
                    if upstream {
                        throw APIError.badRequest("include_upstream is not supported when marking; mark the upstream tasks themselves")
                    }
                    changed = try await context.engine.markTask(
                        run: run.key, taskId: instance.taskId, state: TaskState(rawValue: state)!, downstream: downstream,
                        owner: request.owner)
                    await context.engine.wakeScheduler()
                }
                let instances = try await context.store.taskInstances(run: run.key).filter { changed.contains($0.taskId) }
                return try await collection(instances, runs: [run.key: run], context: context)
            },
            Endpoint(
                .get, task + "/tries", id: "get_task_instance_tries", tag: "Task Instance", summary: "List the tries of a task instance",
                role: .viewer, query: [.init("map_index", .integer, default: -1)],
                responses: [.ok("TaskInstanceHistoryCollectionResponse")]
            ) { request in
                let (run, instance) = try await lookup(request)
                let tries = try await allTries(run: run, instance: instance, context: request.context)
                let versions = try await DAGRunRoutes.versions(of: [run], request.context)
                return .json { json in
                    json.object { o in
                        o.field("task_instances") { json in
                            json.array(tries) { json, record in
                                Representation.taskInstance(
                                    &json, instance, run: run, version: versions[run.dagVersionId ?? ""], history: true, tryRecord: record)
                            }
                        }
                        o.field("total_entries", tries.count)
                    }
                }
            },
            Endpoint(
                .get, task + "/tries/{task_try_number}", id: "get_task_instance_try_details", tag: "Task Instance",
                summary: "Get one try of a task instance", role: .viewer, query: [.init("map_index", .integer, default: -1)],
                responses: [.ok("TaskInstanceHistoryResponse")]
            ) { request in
                let (run, instance) = try await lookup(request)
                let number = request.path("task_try_number")
                let tries = try await allTries(run: run, instance: instance, context: request.context)
                guard let record = tries.first(where: { String($0.tryNumber) == number }) else {
                    throw APIError.notFound(
                        "The Task Instance with dag_id: `\(run.dagId)`, run_id: `\(run.runId)`, task_id: `\(instance.taskId)`, try_number: `\(number)` and map_index: `-1` was not found"
                    )
                }
                let versions = try await DAGRunRoutes.versions(of: [run], request.context)
                return .json { json in
                    Representation.taskInstance(
                        &json, instance, run: run, version: versions[run.dagVersionId ?? ""], history: true, tryRecord: record)
                }
            },
            Endpoint(
                .get, task + "/dependencies", id: "get_task_instance_dependencies", tag: "Task Instance",
                summary: "Why a task instance is not running (the readiness rules that hold it back)", role: .viewer,
                responses: [.ok("TaskDependencyCollectionResponse")]
            ) { request in
                let (run, instance) = try await lookup(request)
                let checks = try await request.context.engine.why(run: run.key, taskId: instance.taskId).filter { !$0.passed }
                return .json { json in
                    json.object { o in
                        o.field("dependencies") { json in
                            json.array(checks) { json, check in
                                json.object { o in
                                    o.field("name", check.rule)
                                    o.field("reason", check.reason)
                                }
                            }
                        }
                    }
                }
            },
            Endpoint(
                .get, task + "/logs/{try_number}", id: "get_log", tag: "Task Instance", summary: "Read the log of a try",
                role: .viewer,
                query: [
                    .init("full_content", .boolean, "The whole log, ignoring the token.", default: false),
                    .init("map_index", .integer, default: -1),
                    .init("token", .string, "The continuation token of the previous answer: only what was written since."),
                ],
                responses: [
                    .ok("TaskInstancesLogResponse"),
                    .init(200, "Successful Response", schema: "StructuredLogMessage", contentType: "application/x-ndjson"),
                ]
            ) { request in
                try await TaskLogRoute.answer(request)
            },
            Endpoint(
                .get, task + "/xcomEntries", id: "get_xcom_entries", tag: "XCom", summary: "List the XCom entries of a task instance",
                role: .viewer, query: QueryParameter.paging + [.init("xcom_key", .string), .init("map_index", .integer)],
                responses: [.ok("XComCollectionResponse")]
            ) { request in
                let (run, instance) = try await lookup(request)
                var entries = try await request.context.store.xcoms(run: run.key, taskId: instance.taskId)
                if let key = request.string("xcom_key") { entries = entries.filter { $0.key == key } }
                let page = entries.page(request.page)
                return .json { json in
                    json.object { o in
                        o.field("xcom_entries") { json in json.array(page) { json, entry in xcom(&json, entry, run: run, value: false) } }
                        o.field("total_entries", entries.count)
                    }
                }
            },
            Endpoint(
                .get, task + "/xcomEntries/{xcom_key}", id: "get_xcom_entry", tag: "XCom", summary: "Get an XCom entry",
                role: .viewer,
                query: [
                    .init("map_index", .integer, default: -1), .init("deserialize", .boolean, default: false),
                    .init("stringify", .boolean, default: false),
                ],
                responses: [.ok("XComResponseNative")]
            ) { request in
                let (run, instance) = try await lookup(request)
                let key = request.path("xcom_key")
                guard
                    let entry = try await request.context.store.xcoms(run: run.key, taskId: instance.taskId).first(where: { $0.key == key })
                else {
                    throw APIError.notFound("XCom entry with key: `\(key)` not found")
                }
                return .json { json in xcom(&json, entry, run: run, value: true) }
            },
            Endpoint(
                .post, DAGRoutes.base + "/{dag_id}/clearTaskInstances", id: "post_clear_task_instances", tag: "Task Instance",
                summary: "Clear task instances", role: .user, body: "ClearTaskInstancesBody",
                responses: [.ok("TaskInstanceCollectionResponse")]
            ) { request in
                try await clearTaskInstances(request)
            },
        ]
    }

    /// `POST /dags/{dag_id}/clearTaskInstances`, with Airflow's defaults (`dry_run` and
    /// `only_failed` true): the task instances cleared, or that would be.
    static func clearTaskInstances(_ request: APIRequest) async throws -> APIResponse {
        var body = try request.bodyReader()
        let dryRun = body.bool("dry_run") ?? true
        let startDate = body.date("start_date")
        let endDate = body.date("end_date")
        let onlyFailed = body.bool("only_failed") ?? true
        let onlyRunning = body.bool("only_running") ?? false
        _ = body.bool("reset_dag_runs")
        let taskIds = body.strings("task_ids")
        let runId = body.string("dag_run_id")
        let upstream = body.bool("include_upstream") ?? false
        let downstream = body.bool("include_downstream") ?? false
        _ = body.bool("include_future"); _ = body.bool("include_past")
        _ = body.bool("run_on_latest_version"); _ = body.bool("prevent_running_task"); _ = body.string("note")
        try body.finish()
        let (dag, _) = try await DAGRoutes.lookup(request)
        let context = request.context
        var runs: [DAGRun]
        if let runId {
            guard let run = try await context.store.run(RunKey(dag.id, runId)) else {
                throw APIError.notFound("Dag Run id \(runId) not found in dag \(dag.id)")
            }
            runs = [run]
        } else {
            runs = try await context.store.runs(RunQuery(dagId: dag.id))
            if let startDate { runs = runs.filter { $0.logicalDate >= startDate } }
            if let endDate { runs = runs.filter { $0.logicalDate <= endDate } }
        }
        var chosen: [TaskInstance] = []
        var byRun: [RunKey: DAGRun] = [:]
        for run in runs {
            byRun[run.key] = run
            var instances = try await context.store.taskInstances(run: run.key)
            if let taskIds { instances = instances.filter { taskIds.contains($0.taskId) } }
            if onlyFailed { instances = instances.filter { $0.state.isFailure } }
            if onlyRunning { instances = instances.filter { $0.state == .running } }
            if instances.isEmpty { continue }
            if dryRun {
                chosen += instances
            } else {
                let cleared = try await context.engine.clear(
                    run: run.key, taskIds: instances.map(\.taskId), downstream: downstream, upstream: upstream,
                    failedOnly: false, owner: request.owner)
                let after = try await context.store.taskInstances(run: run.key)
                chosen += after.filter { cleared.contains($0.taskId) }
            }
        }
        if !dryRun, !chosen.isEmpty { await context.engine.wakeScheduler() }
        return try await collection(chosen, runs: byRun, context: context)
    }

    /// `{task_instances, total_entries}` for instances of the given runs.
    static func collection(
        _ instances: [TaskInstance], runs: [RunKey: DAGRun], context: APIServerContext, total: Int? = nil
    ) async throws -> APIResponse {
        let versions = try await DAGRunRoutes.versions(of: Array(runs.values), context)
        return .json(capacity: 900 * max(1, instances.count)) { json in
            json.object { o in
                o.field("task_instances") { json in
                    json.array(instances) { json, instance in
                        let run = runs[RunKey(instance.dagId, instance.runId)]!
                        Representation.taskInstance(&json, instance, run: run, version: versions[run.dagVersionId ?? ""])
                    }
                }
                o.field("total_entries", total ?? instances.count)
            }
        }
    }

    /// The run and task instance named by the path.
    static func lookup(_ request: APIRequest) async throws -> (DAGRun, TaskInstance) {
        let run = try await DAGRunRoutes.lookup(request)
        let taskId = request.path("task_id")
        guard let instance = try await request.context.store.taskInstance(run: run.key, taskId: taskId) else {
            throw APIError.notFound(
                "The Task Instance with dag_id: `\(run.dagId)`, run_id: `\(run.runId)`, task_id: `\(taskId)` and map_index: `-1` was not found"
            )
        }
        return (run, instance)
    }

    /// The finished tries, plus the current one while it runs (as Airflow's history does).
    static func allTries(run: DAGRun, instance: TaskInstance, context: APIServerContext) async throws -> [TaskTry] {
        var tries = try await context.store.tries(run: run.key, taskId: instance.taskId)
        if instance.tryNumber > 0, !tries.contains(where: { $0.tryNumber == instance.tryNumber }) {
            tries.append(
                TaskTry(
                    dagId: run.dagId, runId: run.runId, taskId: instance.taskId, tryNumber: instance.tryNumber,
                    state: instance.state, startDate: instance.startDate, endDate: instance.endDate, error: instance.error))
        }
        return tries.sorted { $0.tryNumber < $1.tryNumber }
    }

    static func xcom(_ json: inout JSONWriter, _ entry: XComRecord, run: DAGRun, value: Bool) {
        json.object { o in
            o.field("key", entry.key)
            o.field("timestamp", entry.timestamp)
            o.field("logical_date", run.logicalDate)
            o.field("map_index", -1)
            o.field("task_id", entry.taskId)
            o.field("dag_id", entry.dagId)
            o.field("run_id", entry.runId)
            o.field("dag_display_name", entry.dagId)
            o.field("task_display_name", entry.taskId)
            o.field("run_after", run.queuedAt)
            if value {
                // XCom values are JSON (XComCoding); bytes that are not are shown as text.
                if let decoded = try? JSONDecoder().decode(JSONValue.self, from: Data(entry.value)) {
                    o.field("value", decoded)
                } else {
                    o.field("value", String(decoding: entry.value, as: UTF8.self))
                }
            }
        }
    }
}
