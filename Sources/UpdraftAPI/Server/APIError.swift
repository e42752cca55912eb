import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// An error the API answers with, in Airflow's (FastAPI's) shape: `{"detail": "…"}` with the
/// status, or for 422 `{"detail": [{"type", "loc", "msg"}]}`. Never a stack trace.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var detail: Detail
    /// Extra response headers (e.g. `Retry-After`, `WWW-Authenticate`).
    public var headers: HTTPFields = [:]

    public enum Detail: Sendable {
        case message(String)
        case validation([ValidationIssue])
    }

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status; self.detail = .message(message)
    }

    public init(validation issues: [ValidationIssue]) {
        self.status = .unprocessableContent; self.detail = .validation(issues)
    }

    /// The detail alone, without the status (for a page to show).
    public var message: String {
        switch detail {
        case .message(let text): text
        case .validation(let issues): issues.map { "\($0.loc.joined(separator: ".")): \($0.msg)" }.joined(separator: "; ")
        }
    }

    public var description: String {
        switch detail {
        case .message(let text): "\(status.code) \(text)"
        case .validation(let issues): "422 " + issues.map { "\($0.loc.joined(separator: ".")): \($0.msg)" }.joined(separator: "; ")
        }
    }

    public static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    public static func conflict(_ message: String) -> APIError { APIError(.conflict, message) }
    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, message) }
    public static func unauthorized(_ message: String = "Not authenticated") -> APIError {
        var error = APIError(.unauthorized, message)
        error.headers[.wwwAuthenticate] = "Bearer"
        return error
    }

    /// The JSON body of the answer.
    func body() -> [UInt8] {
        var json = JSONWriter(capacity: 128)
        json.object { o in
            switch detail {
            case .message(let text): o.field("detail", text)
            case .validation(let issues):
                o.field("detail") { json in
                    json.array(issues) { json, issue in
                        json.object { o in
                            o.field("type", issue.type)
                            o.field("loc") { json in
                                json.array(issue.loc) { json, part in
                                    if let index = Int(part) { json.int(index) } else { json.string(part) }
                                }
                            }
                            o.field("msg", issue.msg)
                            if let input = issue.input { o.field("input", input) }
                        }
                    }
                }
            }
        }
        return json.bytes
    }
}

/// One entry of a 422 answer, as pydantic writes them (`type`, `loc`, `msg`, `input`).
public struct ValidationIssue: Sendable, Hashable {
    public var type: String
    public var loc: [String]
    public var msg: String
    public var input: JSONValue?

    public init(type: String, loc: [String], msg: String, input: JSONValue? = nil) {
        self.type = type; self.loc = loc; self.msg = msg; self.input = input
    }

    static func missing(_ loc: [String]) -> ValidationIssue { .init(type: "missing", loc: loc, msg: "Field required") }
    static func extra(_ loc: [String], _ input: JSONValue) -> ValidationIssue {
        .init(type: "extra_forbidden", loc: loc, msg: "Extra inputs are not permitted", input: input)
    }
}
