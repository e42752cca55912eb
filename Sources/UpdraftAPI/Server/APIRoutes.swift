import Foundation
import UpdraftCore

/// Routes an extension adds to the API server (served and documented like the engine's).
public struct APIRoutes: Sendable {
    public var endpoints: [Endpoint]
    /// Component schemas the endpoints name.
    public var schemas: [String: JSONValue]

    public init(endpoints: [Endpoint] = [], schemas: [String: JSONValue] = [:]) {
        self.endpoints = endpoints; self.schemas = schemas
    }
}
