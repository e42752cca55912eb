import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// The OpenAPI 3.1 document of exactly what the server serves, generated from its
/// ``Endpoint``s and the component schemas (``Schema``). Committed as `docs/api/openapi.json`
/// (a test keeps the file equal to this) and served at `/openapi.json`.
public struct OpenAPIDocument: Sendable {
    public let value: JSONValue

    public init(endpoints: [Endpoint], extraSchemas: [String: JSONValue] = [:]) {
        var paths: [String: [String: JSONValue]] = [:]
        for endpoint in endpoints {
            paths[endpoint.path, default: [:]][endpoint.method.rawValue.lowercased()] = Self.operation(endpoint)
        }
        var schemas = Schema.components
        for (name, schema) in extraSchemas { schemas[name] = schema }
        value = .object([
            "openapi": "3.1.0",
            "info": .object([
                "title": "Updraft REST API",
                "version": .string(EngineVersion.current),
                "description": .string(
                    "Airflow's REST API v2 (the paths, bodies, status codes and field names the official "
                        + "apache-airflow-client decodes) served by Updraft, plus the routes of its extensions. "
                        + "Every route but /auth/token, /api/v2/monitor/health, /api/v2/version and /openapi.json "
                        + "needs `Authorization: Bearer <token>` (POST /auth/token)."),
            ]),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object([
                "schemas": .object(schemas),
                "securitySchemes": .object([
                    "HTTPBearer": .object(["type": "http", "scheme": "bearer", "bearerFormat": "JWT"])
                ]),
            ]),
        ])
    }

    /// The document as JSON text, keys sorted (stable for the committed copy).
    public func json() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data())  // encoding a JSONValue cannot fail
    }

    static func operation(_ endpoint: Endpoint) -> JSONValue {
        var parameters: [JSONValue] = endpoint.pathParameters.map { name in
            .object(["name": .string(name), "in": "path", "required": true, "schema": .object(["type": "string"])])
        }
        for query in endpoint.query {
            var schema: [String: JSONValue]
            switch query.kind {
            case .string: schema = ["type": "string"]
            case .integer: schema = ["type": "integer"]
            case .boolean: schema = ["type": "boolean"]
            case .dateTime: schema = ["type": "string", "format": "date-time"]
            case .strings: schema = ["type": "array", "items": .object(["type": "string"])]
            case .choice(let allowed): schema = ["type": "string", "enum": .array(allowed.map { .string($0) })]
            case .choices(let allowed):
                schema = ["type": "array", "items": .object(["type": "string", "enum": .array(allowed.map { .string($0) })])]
            }
            if let minimum = query.minimum { schema["minimum"] = .number(Double(minimum)) }
            if let value = query.defaultValue { schema["default"] = value }
            var parameter: [String: JSONValue] = [
                "name": .string(query.name), "in": "query", "required": .bool(query.required), "schema": .object(schema),
            ]
            if !query.description.isEmpty { parameter["description"] = .string(query.description) }
            if case .strings = query.kind { parameter["explode"] = true }
            if case .choices = query.kind { parameter["explode"] = true }
            parameters.append(.object(parameter))
        }
        var responses: [String: JSONValue] = [:]
        // Answers of one status with several media types (JSON or NDJSON logs) share one entry.
        for (status, group) in Dictionary(grouping: endpoint.responses, by: \.status) {
            var entry: [String: JSONValue] = ["description": .string(group[0].description)]
            var content: [String: JSONValue] = [:]
            for response in group where !response.contentType.isEmpty {
                let schema: JSONValue = response.schema.map { Schema.ref($0) } ?? .object(["type": "string"])
                content[response.contentType] = .object(["schema": schema])
            }
            if !content.isEmpty { entry["content"] = .object(content) }
            responses[String(status)] = .object(entry)
        }
        func error(_ status: Int, _ description: String, _ schema: String = "HTTPExceptionResponse") {
            guard responses[String(status)] == nil else { return }
            responses[String(status)] = .object([
                "description": .string(description),
                "content": .object(["application/json": .object(["schema": Schema.ref(schema)])]),
            ])
        }
        if endpoint.role != nil {
            error(401, "Unauthorized")
            error(403, "Forbidden")
        }
        // A query (an unknown order_by field) or a body can be refused as a whole (400); a path
        // names something that may not exist, and so may a body (a DAG id, an asset id) (404).
        if !endpoint.query.isEmpty || endpoint.body != nil { error(400, "Bad Request") }
        if !endpoint.pathParameters.isEmpty || endpoint.body != nil { error(404, "Not Found") }
        if !endpoint.query.isEmpty || endpoint.body != nil { error(422, "Validation Error", "HTTPValidationError") }
        // A change can meet a run that another process is executing, or a name already taken.
        if endpoint.method != .get { error(409, "Conflict") }
        var operation: [String: JSONValue] = [
            "operationId": .string(endpoint.operationId), "summary": .string(endpoint.summary),
            "tags": .array([.string(endpoint.tag)]), "responses": .object(responses),
        ]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body = endpoint.body {
            operation["requestBody"] = .object([
                "required": true, "content": .object(["application/json": .object(["schema": Schema.ref(body)])]),
            ])
        }
        if endpoint.role != nil { operation["security"] = .array([.object(["HTTPBearer": .array([])])]) }
        return .object(operation)
    }
}
