import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `/api/v2/backfills…` (Airflow 3, AIP-78): backfills are rows the scheduler drives.
enum BackfillRoutes {
    static let base = AirflowRoutes.prefix + "/backfills"

    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, base, id: "list_backfills", tag: "Backfill", summary: "List backfills", role: .viewer,
                query: QueryParameter.paging + [
                    .init("dag_id", .string, "Only this DAG's backfills."),
                    QueryParameter.orderBy(["id", "dag_id", "created_at"], default: "id"),
                ], responses: [.ok("BackfillCollectionResponse")]
            ) { request in
                var backfills = try await request.context.store.backfills(dagId: request.string("dag_id"), activeOnly: false)
                let order = try SortOrder.parse(request.strings("order_by"), allowed: ["id", "dag_id", "created_at"], default: "id")
                backfills.sort { a, b in order.field == "dag_id" ? a.dagId < b.dagId : a.id < b.id }
                if order.descending { backfills.reverse() }
                let page = backfills.page(request.page)
                return .json { json in
                    json.object { o in
                        o.field("backfills") { json in json.array(page) { json, backfill in Representation.backfill(&json, backfill) } }
                        o.field("total_entries", backfills.count)
                    }
                }
            },
            Endpoint(
                .post, base, id: "create_backfill", tag: "Backfill", summary: "Create a backfill", role: .user,
                body: "BackfillPostBody",
                responses: [.ok("BackfillResponse"), .init(409, "A backfill of this DAG is running", schema: "HTTPExceptionResponse")]
            ) { request in
                var body = try request.bodyReader()
                let dagId = body.string("dag_id", required: true, nullable: false)
                let from = body.date("from_date", required: true)
                let to = body.date("to_date", required: true)
                let backwards = body.bool("run_backwards") ?? false
                let conf = body.object("dag_run_conf") ?? [:]
                let reprocess = body.choice("reprocess_behavior", ["failed", "completed", "none"]) ?? "none"
                let maxActiveRuns = body.int("max_active_runs", minimum: 1) ?? 10
                _ = body.bool("run_on_latest_version")
                try body.finish()
                guard let dagId, let from, let to else { throw APIError.badRequest("dag_id, from_date and to_date are required") }
                let context = request.context
                guard context.engine.registry.dags[dagId] != nil else { throw APIError.notFound("Could not find dag \(dagId)") }
                let backfill = try await context.engine.createBackfill(
                    dagId: dagId, from: from, to: to, runBackwards: backwards, conf: conf,
                    reprocess: ReprocessBehavior(rawValue: reprocess) ?? ReprocessBehavior.none, maxActiveRuns: maxActiveRuns,
                    user: request.owner)
                await context.engine.wakeScheduler()
                return .json { json in Representation.backfill(&json, backfill) }
            },
            Endpoint(
                .get, base + "/{backfill_id}", id: "get_backfill", tag: "Backfill", summary: "Get a backfill", role: .viewer,
                responses: [.ok("BackfillResponse")]
            ) { request in
                let backfill = try await lookup(request)
                return .json { json in Representation.backfill(&json, backfill) }
            },
            action("pause", summary: "Pause a backfill") { context, backfill, owner in
                try await context.engine.setBackfillPaused(id: backfill.id, true)
            },
            action("unpause", summary: "Unpause a backfill") { context, backfill, owner in
                try await context.engine.setBackfillPaused(id: backfill.id, false)
            },
            action("cancel", summary: "Cancel a backfill") { context, backfill, owner in
                try await context.engine.cancelBackfill(id: backfill.id)
            },
        ]
    }

    static func action(
        _ name: String, summary: String,
        _ body: @escaping @Sendable (APIServerContext, BackfillRecord, String) async throws -> Void
    ) -> Endpoint {
        Endpoint(
            .put, base + "/{backfill_id}/" + name, id: name + "_backfill", tag: "Backfill", summary: summary, role: .user,
            responses: [.ok("BackfillResponse"), .init(409, "The backfill has completed", schema: "HTTPExceptionResponse")]
        ) { request in
            let backfill = try await lookup(request)
            if backfill.completedAt != nil { throw APIError.conflict("Backfill \(backfill.id) is already completed") }
            try await body(request.context, backfill, request.owner)
            try await request.context.engine.audit(
                name + "_backfill", owner: request.owner, dagId: backfill.dagId, extra: ["backfill_id": .number(Double(backfill.id))])
            await request.context.engine.wakeScheduler()
            let updated = try await lookup(request)
            return .json { json in Representation.backfill(&json, updated) }
        }
    }

    static func lookup(_ request: APIRequest) async throws -> BackfillRecord {
        let id = request.path("backfill_id")
        guard let number = Int64(id), let backfill = try await request.context.store.backfill(id: number) else {
            throw APIError.notFound("Backfill \(id) not found")
        }
        return backfill
    }
}
