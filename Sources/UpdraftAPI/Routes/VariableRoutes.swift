import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `/api/v2/variables…`: list, get, create, patch, delete. Values of variables whose key says
/// secret (``SensitiveNames``) are answered as `***`.
enum VariableRoutes {
    static let base = AirflowRoutes.prefix + "/variables"

    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, base, id: "get_variables", tag: "Variable", summary: "List variables", role: .viewer,
                query: QueryParameter.paging + [
                    .init("variable_key_pattern", .string, "SQL LIKE pattern on the key."),
                    QueryParameter.orderBy(["key", "id", "_val", "description", "is_encrypted"], default: "id"),
                ], responses: [.ok("VariableCollectionResponse")]
            ) { request in
                var variables = try await request.context.store.variables()
                    .filter { likeMatches(request.string("variable_key_pattern"), $0.key) }
                let order = try SortOrder.parse(
                    request.strings("order_by"), allowed: ["key", "id", "_val", "description", "is_encrypted"], default: "id")
                if order.descending { variables.reverse() }
                let page = variables.page(request.page)
                return .json { json in
                    json.object { o in
                        o.field("variables") { json in json.array(page) { json, variable in Representation.variable(&json, variable) } }
                        o.field("total_entries", variables.count)
                    }
                }
            },
            Endpoint(
                .get, base + "/{variable_key}", id: "get_variable", tag: "Variable", summary: "Get a variable", role: .viewer,
                responses: [.ok("VariableResponse")]
            ) { request in
                let variable = try await lookup(request)
                return .json { json in Representation.variable(&json, variable) }
            },
            Endpoint(
                .post, base, id: "post_variable", tag: "Variable", summary: "Create a variable", role: .op, body: "VariableBody",
                responses: [.created("VariableResponse"), .init(409, "Conflict", schema: "HTTPExceptionResponse")]
            ) { request in
                let variable = try read(request, key: nil)
                let store = request.context.store
                if try await store.variable(variable.key) != nil {
                    throw APIError.conflict("The Variable with key: `\(variable.key)` already exists")
                }
                try await request.context.engine.setVariable(variable, owner: request.owner)
                return .json(.created) { json in Representation.variable(&json, variable) }
            },
            Endpoint(
                .patch, base + "/{variable_key}", id: "patch_variable", tag: "Variable", summary: "Change a variable", role: .op,
                query: [.init("update_mask", .strings, "The fields to update (value, description).")], body: "VariableBody",
                responses: [.ok("VariableResponse")]
            ) { request in
                var current = try await lookup(request)
                let change = try read(request, key: current.key)
                let mask = Set(request.strings("update_mask"))
                if mask.isEmpty || mask.contains("value") { current.value = change.value }
                if mask.isEmpty || mask.contains("description") { current.description = change.description }
                try await request.context.engine.setVariable(current, owner: request.owner)
                return .json { json in Representation.variable(&json, current) }
            },
            Endpoint(
                .delete, base + "/{variable_key}", id: "delete_variable", tag: "Variable", summary: "Delete a variable",
                role: .op, responses: [.noContent]
            ) { request in
                let variable = try await lookup(request)
                guard try await request.context.engine.deleteVariable(variable.key, owner: request.owner) else {
                    throw APIError.notFound("The Variable with key: `\(variable.key)` was not found")
                }
                return .noContent
            },
        ]
    }

    static func lookup(_ request: APIRequest) async throws -> VariableRecord {
        let key = request.path("variable_key")
        guard let variable = try await request.context.store.variable(key) else {
            throw APIError.notFound("The Variable with key: `\(key)` was not found")
        }
        return variable
    }

    /// A `VariableBody`: a value that is not a string is stored as its JSON text (as Airflow does).
    static func read(_ request: APIRequest, key pathKey: String?) throws(APIError) -> VariableRecord {
        var body = try request.bodyReader()
        let key = body.string("key", required: true, nullable: false)
        let value = body.any("value", required: true)
        let description = body.string("description")
        if let pathKey, let key, key != pathKey {
            body.fail("key", "Invalid body, key from request body doesn't match uri parameter")
        }
        try body.finish()
        guard let key, let value else { throw APIError.badRequest("key and value are required") }
        let text: String
        if case .string(let string) = value {
            text = string
        } else {
            var json = JSONWriter(capacity: 64)
            json.value(value)
            text = String(decoding: json.bytes, as: UTF8.self)
        }
        return VariableRecord(key: key, value: text, description: description)
    }
}
