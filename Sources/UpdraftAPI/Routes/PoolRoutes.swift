import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `/api/v2/pools…`: list, get, create, patch, delete.
public enum PoolRoutes {
    static let base = AirflowRoutes.prefix + "/pools"

    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, base, id: "get_pools", tag: "Pool", summary: "List pools", role: .viewer,
                query: QueryParameter.paging + [
                    .init("pool_name_pattern", .string, "SQL LIKE pattern on the pool name."),
                    QueryParameter.orderBy(["id", "pool", "name", "slots"], default: "id"),
                ], responses: [.ok("PoolCollectionResponse")]
            ) { request in
                var pools = try await allPools(request.context).filter { likeMatches(request.string("pool_name_pattern"), $0.name) }
                let order = try SortOrder.parse(request.strings("order_by"), allowed: ["id", "pool", "name", "slots"], default: "id")
                if order.field == "slots" {
                    pools.sort { $0.slots < $1.slots }
                } else if order.field != "id" {
                    pools.sort { $0.name < $1.name }
                }
                if order.descending { pools.reverse() }
                let usage = try await slotUsage(request.context)
                let page = pools.page(request.page)
                return .json { json in
                    json.object { o in
                        o.field("pools") { json in json.array(page) { json, pool in write(&json, pool, usage) } }
                        o.field("total_entries", pools.count)
                    }
                }
            },
            Endpoint(
                .get, base + "/{pool_name}", id: "get_pool", tag: "Pool", summary: "Get a pool", role: .viewer,
                responses: [.ok("PoolResponse")]
            ) { request in
                let pool = try await lookup(request)
                let usage = try await slotUsage(request.context)
                return .json { json in write(&json, pool, usage) }
            },
            Endpoint(
                .post, base, id: "post_pool", tag: "Pool", summary: "Create a pool", role: .op, body: "PoolBody",
                responses: [.created("PoolResponse"), .init(409, "Conflict", schema: "HTTPExceptionResponse")]
            ) { request in
                var body = try request.bodyReader()
                let name = body.string("name", required: true, nullable: false)
                let slots = body.int("slots", required: true, minimum: -1)
                let description = body.string("description")
                _ = body.bool("include_deferred")
                if let name, name.isEmpty { body.fail("name", type: "string_too_short", "String should have at least 1 character") }
                try body.finish()
                let context = request.context
                guard let name, let slots else { throw APIError.badRequest("name and slots are required") }
                if try await allPools(context).contains(where: { $0.name == name }) {
                    throw APIError.conflict("Pool with name: `\(name)` already exists")
                }
                let pool = PoolRecord(name: name, slots: slots, description: description ?? "")
                try await context.engine.setPool(pool, owner: request.owner)
                await context.engine.wakeScheduler()
                let usage = try await slotUsage(context)
                return .json(.created) { json in write(&json, pool, usage) }
            },
            Endpoint(
                .patch, base + "/{pool_name}", id: "patch_pool", tag: "Pool", summary: "Change a pool", role: .op,
                query: [.init("update_mask", .strings, "The fields to update (slots, description, pool).")], body: "PoolPatchBody",
                responses: [.ok("PoolResponse")]
            ) { request in
                var body = try request.bodyReader()
                let newName = body.string("pool")
                let slots = body.int("slots", minimum: -1)
                let description = body.string("description")
                _ = body.bool("include_deferred")
                try body.finish()
                var pool = try await lookup(request)
                let mask = Set(request.strings("update_mask"))
                func wanted(_ field: String) -> Bool { mask.isEmpty ? body.has(field) : mask.contains(field) }
                if wanted("pool"), let newName, newName != pool.name {
                    throw APIError.badRequest("Renaming a pool is not supported; create a new one")
                }
                if wanted("slots") {
                    guard let slots else {
                        throw APIError(validation: [ValidationIssue(type: "missing", loc: ["body", "slots"], msg: "Field required")])
                    }
                    pool.slots = slots
                }
                if wanted("description") { pool.description = description ?? "" }
                try await request.context.engine.setPool(pool, owner: request.owner)
                await request.context.engine.wakeScheduler()
                let usage = try await slotUsage(request.context)
                return .json { json in write(&json, pool, usage) }
            },
            Endpoint(
                .delete, base + "/{pool_name}", id: "delete_pool", tag: "Pool", summary: "Delete a pool", role: .op,
                responses: [.noContent, .init(400, "The default pool cannot be deleted", schema: "HTTPExceptionResponse")]
            ) { request in
                let pool = try await lookup(request)
                if pool.name == PoolRecord.defaultPool.name { throw APIError.badRequest("Default Pool can't be deleted") }
                guard try await request.context.engine.deletePool(pool.name, owner: request.owner) else {
                    throw APIError.notFound("The Pool with name: `\(pool.name)` was not found")
                }
                return .noContent
            },
        ]
    }

    /// Every pool, the default one included even before it is stored.
    static func allPools(_ context: APIServerContext) async throws -> [PoolRecord] { try await allPools(context.store) }

    public static func allPools(_ store: any StateStore) async throws -> [PoolRecord] {
        var pools = try await store.pools()
        if !pools.contains(where: { $0.name == PoolRecord.defaultPool.name }) { pools.insert(PoolRecord.defaultPool, at: 0) }
        return pools
    }

    static func lookup(_ request: APIRequest) async throws -> PoolRecord {
        let name = request.path("pool_name")
        guard let pool = try await allPools(request.context).first(where: { $0.name == name }) else {
            throw APIError.notFound("The Pool with name: `\(name)` was not found")
        }
        return pool
    }

    /// Slots taken per pool by tries running, queued and scheduled in unfinished runs.
    static func slotUsage(_ context: APIServerContext) async throws -> [String: (running: Int, queued: Int, scheduled: Int)] {
        try await slotUsage(context.store)
    }

    public static func slotUsage(_ store: any StateStore) async throws -> [String: (running: Int, queued: Int, scheduled: Int)] {
        var usage: [String: (running: Int, queued: Int, scheduled: Int)] = [:]
        for run in try await store.runs(RunQuery(states: [.queued, .running])) {
            for instance in try await store.taskInstances(run: run.key) {
                switch instance.state {
                case .running: usage[instance.pool, default: (0, 0, 0)].running += instance.poolSlots
                case .queued: usage[instance.pool, default: (0, 0, 0)].queued += instance.poolSlots
                case .scheduled: usage[instance.pool, default: (0, 0, 0)].scheduled += instance.poolSlots
                default: break
                }
            }
        }
        return usage
    }

    static func write(_ json: inout JSONWriter, _ pool: PoolRecord, _ usage: [String: (running: Int, queued: Int, scheduled: Int)]) {
        let used = usage[pool.name] ?? (0, 0, 0)
        Representation.pool(&json, pool, running: used.running, queued: used.queued, scheduled: used.scheduled)
    }

}
