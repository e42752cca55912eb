import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import UpdraftAPI
import UpdraftCore
import UpdraftRuntime
import UpdraftStore
import UpdraftTesting
import UpdraftUI

/// A live API server with the web UI's pages over an in-memory engine (a manual clock, so nothing
/// depends on timing), with one user per role (`viewer`, `user`, `op`, `admin`, password
/// `password-1`). Pages take a bearer token, so tests read them without a browser session.
///
/// ```swift
/// try await UITestServer.with(dags: [myDAG]) { ui in
///     try await ui.store.createRun(run, instances: instances)
///     let page = try await ui.get("/dags/my_dag/runs/r1", as: .viewer)
///     #expect(page.status == .ok && page.html.contains("r1"))
/// }
/// ```
struct UITestServer: Sendable {
    let client: any TestClientProtocol
    let harness: DAGTestHarness
    let clock: ManualClock
    /// The role `get` uses when it is given none.
    let role: UserRole

    var store: MemoryStateStore { harness.store }

    /// A page's answer: status, headers, body as text.
    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var html: String
    }

    /// The engine's pages (add others through `pages`).
    static var defaultPages: [WebRoute] { EngineUI.pages }

    static func with(
        dags: [DAG], role: UserRole = .user, pages: [WebRoute] = defaultPages,
        _ body: @Sendable (UITestServer) async throws -> Void
    ) async throws {
        let clock = ManualClock(now: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
        let harness = try await DAGTestHarness(dags: dags, clock: clock)
        let hasher = PasswordHasher(cost: 4)
        for role in UserRole.allCases {
            try await harness.store.saveUser(
                UserRecord(username: role.rawValue, passwordHash: hasher.hash("password-1"), role: role, createdAt: clock.now))
        }
        var logger = Logger(label: "ui-test")
        logger.logLevel = .critical
        let server = try await APIServer.make(
            engine: harness.engine, options: APIServerOptions(port: 0, passwordHashCost: 4), routes: APIRoutes(pages: pages),
            logger: logger)
        try await server.application().test(.live) { client in
            try await body(UITestServer(client: client, harness: harness, clock: clock, role: role))
        }
    }

    /// A bearer token's headers for the user of `role`.
    func token(_ role: UserRole) async throws -> HTTPFields {
        let response = try await client.execute(
            uri: "/auth/token", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"username": "\#(role.rawValue)", "password": "password-1"}"#))
        guard response.status == .created,
            case .object(let fields) = try JSONDecoder().decode(JSONValue.self, from: Data(Array(buffer: response.body))),
            case .string(let token)? = fields["access_token"]
        else { throw APIError.unauthorized("no token for \(role.rawValue)") }
        return [.authorization: "Bearer " + token]
    }

    /// `GET uri` as the user of `role` (the server's default role when nil).
    func get(_ uri: String, as role: UserRole? = nil) async throws -> Page {
        let response = try await client.execute(uri: uri, method: .get, headers: try await token(role ?? self.role))
        return Page(status: response.status, headers: response.headers, html: String(buffer: response.body))
    }
}
