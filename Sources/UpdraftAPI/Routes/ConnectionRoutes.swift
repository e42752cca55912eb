import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `/api/v2/connections…`: list, get, create, patch, delete. Passwords are never answered
/// (`***` when one is set).
enum ConnectionRoutes {
    static let base = AirflowRoutes.prefix + "/connections"

    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, base, id: "get_connections", tag: "Connection", summary: "List connections", role: .viewer,
                query: QueryParameter.paging + [
                    .init("connection_id_pattern", .string, "SQL LIKE pattern on the connection id."),
                    QueryParameter.orderBy(["conn_id", "conn_type", "description", "host", "port", "id", "connection_id"], default: "id"),
                ], responses: [.ok("ConnectionCollectionResponse")]
            ) { request in
                var connections = try await request.context.store.connections()
                    .filter { likeMatches(request.string("connection_id_pattern"), $0.connectionId) }
                let order = try SortOrder.parse(
                    request.strings("order_by"), allowed: ["conn_id", "conn_type", "description", "host", "port", "id", "connection_id"],
                    default: "id")
                switch order.field {
                case "conn_type": connections.sort { $0.connType < $1.connType }
                case "host": connections.sort { ($0.host ?? "") < ($1.host ?? "") }
                case "port": connections.sort { ($0.port ?? 0) < ($1.port ?? 0) }
                default: break
                }
                if order.descending { connections.reverse() }
                let page = connections.page(request.page)
                return .json { json in
                    json.object { o in
                        o.field("connections") { json in
                            json.array(page) { json, connection in Representation.connection(&json, connection) }
                        }
                        o.field("total_entries", connections.count)
                    }
                }
            },
            Endpoint(
                .get, base + "/{connection_id}", id: "get_connection", tag: "Connection", summary: "Get a connection",
                role: .viewer, responses: [.ok("ConnectionResponse")]
            ) { request in
                let connection = try await lookup(request)
                return .json { json in Representation.connection(&json, connection) }
            },
            Endpoint(
                .post, base, id: "post_connection", tag: "Connection", summary: "Create a connection", role: .op,
                body: "ConnectionBody",
                responses: [.created("ConnectionResponse"), .init(409, "Conflict", schema: "HTTPExceptionResponse")]
            ) { request in
                let (connection, _) = try read(request, id: nil)
                let store = request.context.store
                if try await store.connection(connection.connectionId) != nil {
                    throw APIError.conflict("The connection with connection_id: `\(connection.connectionId)` already exists")
                }
                try await request.context.engine.setConnection(connection, owner: request.owner)
                return .json(.created) { json in Representation.connection(&json, connection) }
            },
            Endpoint(
                .patch, base + "/{connection_id}", id: "patch_connection", tag: "Connection", summary: "Change a connection",
                role: .op, query: [.init("update_mask", .strings, "The fields to update.")], body: "ConnectionBody",
                responses: [.ok("ConnectionResponse")]
            ) { request in
                var current = try await lookup(request)
                let (change, given) = try read(request, id: current.connectionId)
                let mask = Set(request.strings("update_mask"))
                func wanted(_ field: String) -> Bool { mask.isEmpty ? given.contains(field) : mask.contains(field) }
                if wanted("conn_type") { current.connType = change.connType }
                if wanted("description") { current.description = change.description }
                if wanted("host") { current.host = change.host }
                if wanted("schema") { current.schema = change.schema }
                if wanted("login") { current.login = change.login }
                if wanted("password") { current.password = change.password }
                if wanted("port") { current.port = change.port }
                if wanted("extra") { current.extra = change.extra }
                try await request.context.engine.setConnection(current, owner: request.owner)
                return .json { json in Representation.connection(&json, current) }
            },
            Endpoint(
                .delete, base + "/{connection_id}", id: "delete_connection", tag: "Connection", summary: "Delete a connection",
                role: .op, responses: [.noContent]
            ) { request in
                let connection = try await lookup(request)
                guard try await request.context.engine.deleteConnection(connection.connectionId, owner: request.owner) else {
                    throw APIError.notFound("The Connection with connection_id: `\(connection.connectionId)` was not found")
                }
                return .noContent
            },
        ]
    }

    static func lookup(_ request: APIRequest) async throws -> ConnectionRecord {
        let id = request.path("connection_id")
        guard let connection = try await request.context.store.connection(id) else {
            throw APIError.notFound("The Connection with connection_id: `\(id)` was not found")
        }
        return connection
    }

    /// A `ConnectionBody` and the fields it names.
    static func read(_ request: APIRequest, id pathId: String?) throws(APIError) -> (ConnectionRecord, Set<String>) {
        var body = try request.bodyReader()
        let id = body.string("connection_id", required: true, nullable: false)
        let type = body.string("conn_type", required: true, nullable: false)
        let connection = ConnectionRecord(
            connectionId: id ?? "", connType: type ?? "", description: body.string("description"), host: body.string("host"),
            schema: body.string("schema"), login: body.string("login"), password: body.string("password"),
            port: body.int("port"), extra: body.string("extra"))
        if let id {
            if id.isEmpty || id.count > 200 || id.contains(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0))) }) {
                body.fail(
                    "connection_id", type: "string_pattern_mismatch", "String should match pattern '^[\\w.-]+$' (at most 200 characters)")
            }
            if let pathId, id != pathId {
                body.fail("connection_id", "The connection_id in the request body does not match the URL parameter")
            }
        }
        try body.finish()
        return (connection, Set(body.fields.keys))
    }
}
