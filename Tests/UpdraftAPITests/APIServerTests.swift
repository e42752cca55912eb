import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import UpdraftCore
import UpdraftRuntime
import UpdraftStore
import UpdraftTesting

@testable import UpdraftAPI

/// The server over real HTTP on loopback (Hummingbird's live test client), over an in-memory
/// engine: auth, roles, errors, paging, triggering, notes, deletion, the document and metrics.
@Suite struct APIServerTests {
    static let dag = DAG(
        "api_test", tags: ["t"], params: [.integer("n", default: 1, description: "A number.")]
    ) { d in
        let first = d.task("first") { ctx in try ctx.param("n", as: Int.self) ?? 1 }
        d.task("second", first) { _, value in value + 1 }
    }

    /// A server over a fresh harness with users `viewer` and `user` (password `password-1`).
    static func withServer(_ body: @Sendable (any TestClientProtocol, DAGTestHarness) async throws -> Void) async throws {
        let harness = try await DAGTestHarness(dags: [dag])
        let hasher = PasswordHasher(cost: 4)
        for role in [UserRole.viewer, .user] {
            try await harness.store.saveUser(
                UserRecord(
                    username: role.rawValue, passwordHash: hasher.hash("password-1"), role: role, createdAt: harness.engine.clock.now))
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = try await APIServer.make(
            engine: harness.engine, options: APIServerOptions(port: 0, maximumPageLimit: 3, passwordHashCost: 4), logger: logger)
        try await server.application().test(.live) { client in try await body(client, harness) }
    }

    static func token(_ client: any TestClientProtocol, _ user: String) async throws -> HTTPFields {
        let response = try await client.execute(
            uri: "/auth/token", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"username": "\#(user)", "password": "password-1"}"#))
        #expect(response.status == .created)
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(Array(buffer: response.body)))
        guard case .object(let fields) = json, case .string(let token)? = fields["access_token"] else {
            throw APIError.unauthorized("no token")
        }
        return [.authorization: "Bearer " + token, .contentType: "application/json"]
    }

    static func json(_ response: TestResponse) throws -> [String: JSONValue] {
        guard case .object(let fields) = try JSONDecoder().decode(JSONValue.self, from: Data(Array(buffer: response.body))) else {
            return [:]
        }
        return fields
    }

    @Test func authIsRequiredAndRolesAreEnforced() async throws {
        try await Self.withServer { client, _ in
            let anonymous = try await client.execute(uri: "/api/v2/dags", method: .get)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
            #expect(try Self.json(anonymous)["detail"] == .string("Not authenticated"))
            #expect(try await client.execute(uri: "/api/v2/version", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/api/v2/monitor/health", method: .get).status == .ok)
            let viewer = try await Self.token(client, "viewer")
            #expect(try await client.execute(uri: "/api/v2/dags", method: .get, headers: viewer).status == .ok)
            let refused = try await client.execute(
                uri: "/api/v2/dags/api_test", method: .patch, headers: viewer, body: ByteBuffer(string: #"{"is_paused": true}"#))
            #expect(refused.status == .forbidden)
            let user = try await Self.token(client, "user")
            let paused = try await client.execute(
                uri: "/api/v2/dags/api_test", method: .patch, headers: user, body: ByteBuffer(string: #"{"is_paused": true}"#))
            #expect(paused.status == .ok)
            #expect(try Self.json(paused)["is_paused"] == .bool(true))
            let badLogin = try await client.execute(
                uri: "/auth/token", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username": "user", "password": "nope"}"#))
            #expect(badLogin.status == .unauthorized)
        }
    }

    @Test func aBrowserSessionIsAnHttpOnlyCookieAndItsUnsafeRequestsNeedTheCSRFToken() async throws {
        try await Self.withServer { client, _ in
            let login = try await client.execute(
                uri: "/auth/login", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username": "user", "password": "password-1"}"#))
            #expect(login.status == .ok)
            let cookies = login.headers[values: .setCookie]
            let session = try #require(cookies.first { $0.hasPrefix("updraft_session=") })
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Strict"))
            let csrfCookie = try #require(cookies.first { $0.hasPrefix("updraft_csrf=") })
            #expect(!csrfCookie.contains("HttpOnly"))
            guard case .string(let csrf)? = try Self.json(login)["csrf_token"] else { Issue.record("no csrf token"); return }
            let sessionValue = String(session.dropFirst("updraft_session=".count).prefix { $0 != ";" })
            let cookie: HTTPFields = [.cookie: "updraft_session=\(sessionValue)", .contentType: "application/json"]
            // Reads need only the cookie.
            #expect(try await client.execute(uri: "/api/v2/dags", method: .get, headers: cookie).status == .ok)
            // A change without the CSRF token, or with another one, is refused.
            let pause = ByteBuffer(string: #"{"is_paused": true}"#)
            #expect(
                try await client.execute(uri: "/api/v2/dags/api_test", method: .patch, headers: cookie, body: pause).status == .forbidden)
            var wrong = cookie
            wrong[BrowserSession.csrfHeader] = "not-the-token"
            #expect(
                try await client.execute(uri: "/api/v2/dags/api_test", method: .patch, headers: wrong, body: pause).status == .forbidden)
            var right = cookie
            right[BrowserSession.csrfHeader] = csrf
            #expect(try await client.execute(uri: "/api/v2/dags/api_test", method: .patch, headers: right, body: pause).status == .ok)
            // Without a session at all: 401, as without a token.
            #expect(try await client.execute(uri: "/api/v2/dags", method: .get).status == .unauthorized)
            let logout = try await client.execute(uri: "/auth/logout", method: .post, headers: right)
            #expect(logout.status == .noContent)
            #expect(logout.headers[values: .setCookie].allSatisfy { $0.contains("Max-Age=0") })
        }
    }

    @Test func errorsAreAirflowsShapes() async throws {
        try await Self.withServer { client, _ in
            let user = try await Self.token(client, "user")
            let unknownRoute = try await client.execute(uri: "/api/v2/nothing/here", method: .get, headers: user)
            #expect(unknownRoute.status == .notFound)
            #expect(try Self.json(unknownRoute)["detail"] == .string("Not Found"))
            let unknownDAG = try await client.execute(uri: "/api/v2/dags/nope", method: .get, headers: user)
            #expect(unknownDAG.status == .notFound)
            let extra = try await client.execute(
                uri: "/api/v2/dags/api_test/dagRuns", method: .post, headers: user, body: ByteBuffer(string: #"{"bogus": 1}"#))
            #expect(extra.status == .unprocessableContent)
            #expect(
                try Self.json(extra)["detail"]
                    == .array([
                        .object([
                            "type": "extra_forbidden", "loc": .array(["body", "bogus"]), "msg": "Extra inputs are not permitted",
                            "input": 1,
                        ])
                    ]))
            let badConf = try await client.execute(
                uri: "/api/v2/dags/api_test/dagRuns", method: .post, headers: user, body: ByteBuffer(string: #"{"conf": {"n": "x"}}"#))
            #expect(badConf.status == .badRequest)
            guard case .string(let detail)? = try Self.json(badConf)["detail"] else { Issue.record("no detail"); return }
            #expect(detail.contains("'n'"))
            let badQuery = try await client.execute(uri: "/api/v2/dags?limit=x", method: .get, headers: user)
            #expect(badQuery.status == .unprocessableContent)
            let badOrder = try await client.execute(uri: "/api/v2/dags?order_by=nope", method: .get, headers: user)
            #expect(badOrder.status == .badRequest)
        }
    }

    @Test func triggerPageNoteAndDeleteRuns() async throws {
        try await Self.withServer { client, harness in
            let user = try await Self.token(client, "user")
            var ids: [String] = []
            for index in 0..<5 {
                let response = try await client.execute(
                    uri: "/api/v2/dags/api_test/dagRuns", method: .post, headers: user,
                    body: ByteBuffer(
                        string: #"{"dag_run_id": "r\#(index)", "logical_date": null, "conf": {"n": \#(index)}, "note": "n\#(index)"}"#))
                #expect(response.status == .ok)
                let run = try Self.json(response)
                #expect(run["triggered_by"] == "rest_api")
                #expect(run["triggering_user_name"] == "user")
                #expect(run["note"] == .string("n\(index)"))
                ids.append("r\(index)")
            }
            let duplicate = try await client.execute(
                uri: "/api/v2/dags/api_test/dagRuns", method: .post, headers: user, body: ByteBuffer(string: #"{"dag_run_id": "r0"}"#))
            #expect(duplicate.status == .conflict)
            // limit past api.maximum_page_limit (3 here) is clamped; total_entries counts all.
            let page = try Self.json(
                try await client.execute(uri: "/api/v2/dags/~/dagRuns?limit=50&order_by=run_id", method: .get, headers: user))
            guard case .array(let runs)? = page["dag_runs"] else { Issue.record("no runs"); return }
            #expect(runs.count == 3)
            #expect(page["total_entries"] == 5)
            let second = try Self.json(
                try await client.execute(uri: "/api/v2/dags/~/dagRuns?limit=2&offset=2&order_by=run_id", method: .get, headers: user))
            guard case .array(let next)? = second["dag_runs"], case .object(let first)? = next.first else {
                Issue.record("no page"); return
            }
            #expect(first["dag_run_id"] == "r2")
            let noted = try await client.execute(
                uri: "/api/v2/dags/api_test/dagRuns/r1", method: .patch, headers: user, body: ByteBuffer(string: #"{"note": "checked"}"#))
            #expect(try Self.json(noted)["note"] == "checked")
            _ = try await harness.execute(RunKey("api_test", "r1"))
            let instances = try Self.json(
                try await client.execute(uri: "/api/v2/dags/api_test/dagRuns/r1/taskInstances", method: .get, headers: user))
            #expect(instances["total_entries"] == 2)
            let deleted = try await client.execute(uri: "/api/v2/dags/api_test/dagRuns/r1", method: .delete, headers: user)
            #expect(deleted.status == .noContent)
            #expect(try await client.execute(uri: "/api/v2/dags/api_test/dagRuns/r1", method: .get, headers: user).status == .notFound)
            let events = try Self.json(try await client.execute(uri: "/api/v2/eventLogs?event=delete_dag_run", method: .get, headers: user))
            #expect(events["total_entries"] == 1)
        }
    }

    @Test func anInterruptedTryIsRestartingAndNoStateIsNull() async throws {
        try await Self.withServer { client, harness in
            let user = try await Self.token(client, "user")
            _ = try await client.execute(
                uri: "/api/v2/dags/api_test/dagRuns", method: .post, headers: user, body: ByteBuffer(string: #"{"dag_run_id": "cut"}"#))
            let key = RunKey("api_test", "cut")
            // Before any try: Airflow has no `none` state; it is null.
            let fresh = try Self.json(
                try await client.execute(uri: "/api/v2/dags/api_test/dagRuns/cut/taskInstances/first", method: .get, headers: user))
            #expect(fresh["state"] == .null)
            // A try cut off from outside (recovery records it `interrupted`) is Airflow's `restarting`.
            var batch = StateBatch()
            let now = harness.engine.clock.now
            batch.tries = [
                TaskTry(dagId: "api_test", runId: "cut", taskId: "first", tryNumber: 1, state: .interrupted, startDate: now, endDate: now)
            ]
            var instance = try #require(try await harness.store.taskInstance(run: key, taskId: "first"))
            instance.tryNumber = 2
            instance.state = .queued
            batch.instances = [instance]
            try await harness.store.commit(batch)
            let tries = try Self.json(
                try await client.execute(uri: "/api/v2/dags/api_test/dagRuns/cut/taskInstances/first/tries", method: .get, headers: user))
            guard case .array(let rows)? = tries["task_instances"], case .object(let first)? = rows.first else {
                Issue.record("no tries \(tries)")
                return
            }
            #expect(first["state"] == "restarting")
            #expect(first["try_number"] == 1)
        }
    }

    @Test func servesItsDocumentAndMetrics() async throws {
        try await Self.withServer { client, _ in
            let document = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(document.status == .ok)
            let same = Array(buffer: document.body) == OpenAPIDocument(endpoints: AirflowRoutes.all).json()
            #expect(same, "the served document is not the routes' one")
            let user = try await Self.token(client, "user")
            _ = try await client.execute(uri: "/api/v2/dags", method: .get, headers: user)
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: user)
            let text = String(buffer: metrics.body)
            #expect(text.contains("updraft_api_request_duration_seconds_bucket"))
            #expect(text.contains(#"route="/api/v2/dags""#))
            #expect(text.contains(#"updraft_pool_open_slots{pool="default_pool"} 128"#))
        }
    }
}
