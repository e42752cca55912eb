import Foundation
import UpdraftCore

/// Routes an extension adds to the API server (served and documented like the engine's), and its
/// web UI pages.
public struct APIRoutes: Sendable {
    public var endpoints: [Endpoint]
    /// Component schemas the endpoints name.
    public var schemas: [String: JSONValue]
    /// Web UI pages (not in the OpenAPI document); those with a ``WebRoute/navigation`` title
    /// appear in the navigation bar in this order.
    public var pages: [WebRoute]

    public init(endpoints: [Endpoint] = [], schemas: [String: JSONValue] = [:], pages: [WebRoute] = []) {
        self.endpoints = endpoints; self.schemas = schemas; self.pages = pages
    }
}
