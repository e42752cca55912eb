import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// One operation of the API: its path, parameters, access, and handler. The OpenAPI document is
/// generated from these (``OpenAPIDocument``), and a handler can read only the query parameters
/// its endpoint declares, so what is served and what is documented cannot drift apart.
public struct Endpoint: Sendable {
    public var method: HTTPRequest.Method
    /// OpenAPI-style path, e.g. `/api/v2/dags/{dag_id}`.
    public var path: String
    public var operationId: String
    public var tag: String
    public var summary: String
    /// Who may call it: nil for everyone (no token), else the least role.
    public var role: UserRole?
    public var query: [QueryParameter]
    /// Component schema of the JSON request body, if any.
    public var body: String?
    public var responses: [EndpointResponse]
    public var handler: @Sendable (APIRequest) async throws -> APIResponse

    public init(
        _ method: HTTPRequest.Method, _ path: String, id operationId: String, tag: String, summary: String,
        role: UserRole?, query: [QueryParameter] = [], body: String? = nil, responses: [EndpointResponse],
        handler: @escaping @Sendable (APIRequest) async throws -> APIResponse
    ) {
        self.method = method; self.path = path; self.operationId = operationId; self.tag = tag; self.summary = summary
        self.role = role; self.query = query; self.body = body; self.responses = responses; self.handler = handler
    }

    /// The names in braces of `path`.
    public var pathParameters: [String] {
        path.split(separator: "/").compactMap { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? String(part.dropFirst().dropLast()) : nil
        }
    }
}

/// A documented answer of an endpoint.
public struct EndpointResponse: Sendable {
    public var status: Int
    public var description: String
    /// Component schema of the body; nil for no body (or a stream described by `contentType`).
    public var schema: String?
    public var contentType: String

    public init(_ status: Int, _ description: String, schema: String? = nil, contentType: String = "application/json") {
        self.status = status; self.description = description; self.schema = schema; self.contentType = contentType
    }

    public static func ok(_ schema: String) -> EndpointResponse { .init(200, "Successful Response", schema: schema) }
    public static func created(_ schema: String) -> EndpointResponse { .init(201, "Successful Response", schema: schema) }
    public static let noContent = EndpointResponse(204, "Successful Response", contentType: "")
}

/// A query parameter an endpoint accepts.
public struct QueryParameter: Sendable {
    public enum Kind: Sendable, Equatable {
        case string, integer, boolean, dateTime
        /// Repeated (`?tags=a&tags=b`).
        case strings
        case choice([String])
        case choices([String])
    }

    public var name: String
    public var kind: Kind
    public var description: String
    public var minimum: Int?
    public var defaultValue: JSONValue?
    public var required: Bool

    public init(
        _ name: String, _ kind: Kind, _ description: String = "", minimum: Int? = nil, default defaultValue: JSONValue? = nil,
        required: Bool = false
    ) {
        self.name = name; self.kind = kind; self.description = description; self.minimum = minimum
        self.defaultValue = defaultValue; self.required = required
    }

    /// `limit` (default 50, clamped at `api.maximum_page_limit`) and `offset`, as Airflow pages.
    public static let paging: [QueryParameter] = [
        .init("limit", .integer, "Page size (clamped at api.maximum_page_limit).", minimum: 0, default: 50),
        .init("offset", .integer, "Rows to skip.", minimum: 0, default: 0),
    ]

    /// `order_by`, with the fields it accepts (each also with a leading `-` for descending).
    public static func orderBy(_ fields: [String], default value: String) -> QueryParameter {
        .init(
            "order_by", .strings, "Sort by these fields (`-field` descending): " + fields.joined(separator: ", "),
            default: .array([.string(value)]))
    }
}

/// A parsed query value.
enum QueryValue: Sendable {
    case string(String), integer(Int), boolean(Bool), date(Date), strings([String])
}

/// What a handler gets: path parameters, the declared query parameters (already parsed and
/// checked), the caller, the raw body.
public struct APIRequest: Sendable {
    public let endpoint: String
    public let pathValues: [String: String]
    let queryValues: [String: QueryValue]
    let declared: Set<String>
    /// The authenticated caller; nil on public endpoints.
    public let identity: APIIdentity?
    public let body: [UInt8]
    public let headers: HTTPFields
    /// The client's IP address (for the login throttle).
    public let clientAddress: String
    public let context: APIServerContext

    public func path(_ name: String) -> String {
        precondition(pathValues[name] != nil, "\(endpoint) reads path parameter '\(name)' it does not declare")
        return pathValues[name]!
    }

    private func value(_ name: String) -> QueryValue? {
        precondition(declared.contains(name), "\(endpoint) reads query parameter '\(name)' it does not declare")
        return queryValues[name]
    }

    public func string(_ name: String) -> String? {
        if case .string(let text) = value(name) { return text }
        if case .strings(let texts) = value(name) { return texts.last }
        return nil
    }

    public func int(_ name: String) -> Int? {
        if case .integer(let number) = value(name) { return number }
        return nil
    }

    public func bool(_ name: String) -> Bool? {
        if case .boolean(let flag) = value(name) { return flag }
        return nil
    }

    public func date(_ name: String) -> Date? {
        if case .date(let date) = value(name) { return date }
        return nil
    }

    public func strings(_ name: String) -> [String] {
        switch value(name) {
        case .strings(let texts): texts
        case .string(let text): [text]
        default: []
        }
    }

    /// `limit` clamped at the configured maximum, and `offset`.
    public var page: (limit: Int, offset: Int) {
        (min(int("limit") ?? 50, context.maximumPageLimit), int("offset") ?? 0)
    }

    /// The body as a strict JSON object reader.
    public func bodyReader() throws(APIError) -> BodyReader { try BodyReader(body) }

    /// The caller's user name for the audit log.
    public var owner: String { identity?.username ?? "anonymous" }
}

/// What an endpoint answers.
public struct APIResponse: Sendable {
    public var status: HTTPResponse.Status
    public var headers: HTTPFields
    public var body: ResponseBody

    public init(status: HTTPResponse.Status, headers: HTTPFields = [:], body: ResponseBody) {
        self.status = status; self.headers = headers; self.body = body
    }

    /// A JSON answer written by `write`.
    public static func json(_ status: HTTPResponse.Status = .ok, capacity: Int = 512, _ write: (inout JSONWriter) -> Void) -> APIResponse {
        var json = JSONWriter(capacity: capacity)
        write(&json)
        return .bytes(status, json.bytes, contentType: "application/json")
    }

    public static func bytes(_ status: HTTPResponse.Status, _ bytes: [UInt8], contentType: String) -> APIResponse {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return APIResponse(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    public static let noContent = APIResponse(status: .noContent, body: ResponseBody())
}
