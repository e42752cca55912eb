import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `POST /auth/token` (Airflow's simple auth manager): `{username, password}` → 201 `{access_token}`.
public enum AuthRoutes {
    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .post, "/auth/token", id: "create_token", tag: "Login", summary: "Create a token", role: nil,
                body: "LoginBody",
                responses: [
                    .created("LoginResponse"), .init(401, "Bad credentials", schema: "HTTPExceptionResponse"),
                    .init(429, "Too many failed logins", schema: "HTTPExceptionResponse"),
                ]
            ) { request in
                let user = try await verifiedLogin(request)
                let token = try await request.context.tokens.issue(for: user, now: request.context.now)
                return .json(.created) { json in json.object { o in o.field("access_token", token) } }
            },
            Endpoint(
                .post, "/auth/login", id: "create_session", tag: "Login",
                summary: "Start a browser session (HttpOnly session cookie and a CSRF token)", role: nil, body: "LoginBody",
                responses: [
                    .ok("SessionResponse"), .init(401, "Bad credentials", schema: "HTTPExceptionResponse"),
                    .init(429, "Too many failed logins", schema: "HTTPExceptionResponse"),
                ]
            ) { request in
                let user = try await verifiedLogin(request)
                let context = request.context
                let session = try await context.tokens.issue(for: user, now: context.now)
                let csrf = BrowserSession.csrfToken(for: session, key: context.tokens.key)
                var response = APIResponse.json { json in json.object { o in o.field("csrf_token", csrf) } }
                for cookie in BrowserSession.cookies(
                    session: session, csrf: csrf, lifetime: context.tokens.lifetime, secure: context.secure)
                {
                    response.headers.append(HTTPField(name: .setCookie, value: cookie.description))
                }
                return response
            },
            Endpoint(
                .post, "/auth/logout", id: "end_session", tag: "Login", summary: "End a browser session (its cookies)",
                role: .viewer, responses: [.noContent]
            ) { request in
                var response = APIResponse.noContent
                for cookie in BrowserSession.expired(secure: request.context.secure) {
                    response.headers.append(HTTPField(name: .setCookie, value: cookie.description))
                }
                return response
            },
        ]
    }

    /// The user a `LoginBody` names, if the password is theirs (``AuthRoutes/verify(username:password:address:context:)``).
    static func verifiedLogin(_ request: APIRequest) async throws -> UserRecord {
        var body = try request.bodyReader()
        let username = body.string("username", required: true, nullable: false)
        let password = body.string("password", required: true, nullable: false)
        try body.finish()
        return try await verify(username: username, password: password, address: request.clientAddress, context: request.context)
    }

    /// The user named `username`, if `password` is theirs; failed attempts count against the
    /// client's `address` (a 429 ``APIError`` once it has too many), a wrong pair is a 401.
    public static func verify(username: String?, password: String?, address: String, context: APIServerContext) async throws -> UserRecord {
        if let wait = context.throttle.retryAfter(address, now: context.now) {
            var error = APIError(.tooManyRequests, "Too many failed logins from this address; try again later")
            error.headers[.retryAfter] = String(Int(wait.rounded(.up)))
            throw error
        }
        guard let username, let password, let user = try await context.store.user(username),
            context.passwords.verify(password, hash: user.passwordHash)
        else {
            context.throttle.recordFailure(address, now: context.now)
            // The user name is not logged with the outcome: it may be a mistyped password.
            context.logger.notice("failed login from \(address)")
            throw APIError(.unauthorized, "Invalid credentials")
        }
        context.throttle.recordSuccess(address)
        return user
    }
}

/// `/api/v2/monitor/health` and `/api/v2/version`: public.
enum MonitorRoutes {
    static var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, AirflowRoutes.prefix + "/monitor/health", id: "get_health", tag: "Monitor",
                summary: "Get the health of the metadatabase and the scheduler", role: nil,
                responses: [.ok("HealthInfoResponse")]
            ) { request in
                let context = request.context
                let health = await context.engine.health()
                let database = health.databaseHealthy ? "healthy" : "unhealthy"
                let scheduler = health.schedulerHealthy ? "healthy" : "unhealthy"
                if let error = health.databaseError { context.logger.error("health check: the state store failed: \(error)") }
                return .json { json in
                    json.object { o in
                        o.field("metadatabase") { json in json.object { o in o.field("status", database) } }
                        o.field("scheduler") { json in
                            json.object { o in
                                o.field("status", scheduler)
                                o.field(
                                    "latest_scheduler_heartbeat",
                                    health.latestSchedulerHeartbeat.map(APIDate.format)
                                        ?? (health.schedulerHealthy ? APIDate.format(context.now) : nil))
                            }
                        }
                        o.field("triggerer") { json in
                            json.object { o in
                                o.nullField("status")
                                o.nullField("latest_triggerer_heartbeat")
                            }
                        }
                        o.nullField("dag_processor")
                    }
                }
            },
            Endpoint(
                .get, "/metrics", id: "get_metrics", tag: "Monitor",
                summary: "Read the server's metrics (Prometheus text format)", role: .viewer,
                responses: [.init(200, "Prometheus text exposition format", contentType: "text/plain")]
            ) { request in
                .bytes(.ok, await request.context.metrics.scrape(), contentType: APIMetrics.contentType)
            },
            Endpoint(
                .get, AirflowRoutes.prefix + "/version", id: "get_version", tag: "Version", summary: "Get the version",
                role: nil, responses: [.ok("VersionInfo")]
            ) { _ in
                .json { json in
                    json.object { o in
                        o.field("version", EngineVersion.current)
                        o.nullField("git_version")
                    }
                }
            },
        ]
    }
}
