import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import Prometheus
import ServiceLifecycle
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// How to run the API server.
public struct APIServerOptions: Sendable {
    public var host: String
    public var port: Int
    /// PEM certificate chain and key; both or neither.
    public var tlsCertificate: String?
    public var tlsKey: String?
    public var maximumPageLimit: Int
    public var tokenLifetime: TimeInterval
    public var passwordHashCost: UInt8

    public init(
        host: String = "127.0.0.1", port: Int = 8080, tlsCertificate: String? = nil, tlsKey: String? = nil,
        maximumPageLimit: Int = 100, tokenLifetime: TimeInterval = 86_400, passwordHashCost: UInt8 = 12
    ) {
        self.host = host; self.port = port; self.tlsCertificate = tlsCertificate; self.tlsKey = tlsKey
        self.maximumPageLimit = maximumPageLimit; self.tokenLifetime = tokenLifetime; self.passwordHashCost = passwordHashCost
    }

    /// True when `host` is a loopback address (or `localhost`).
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// Airflow's REST API v2 over an ``Engine``, plus the routes of the application's extensions,
/// `/openapi.json` and `/metrics`, on Hummingbird 2. Run it as a service (graceful shutdown
/// through swift-service-lifecycle), alone (`updraft api-server`) or beside the scheduler
/// (`updraft standalone`).
public struct APIServer: Sendable {
    public let context: APIServerContext
    public let options: APIServerOptions
    public let endpoints: [Endpoint]
    public let document: OpenAPIDocument
    /// The web UI's pages.
    public let pages: [WebRoute]

    /// - Parameters:
    ///   - routes: the extensions' routes (e.g. the market API).
    ///   - resources: this process's resources, for those routes.
    ///   - metricsRegistry: where the server's metrics go (served at `/metrics`).
    ///   - poolGaugesFromStore: false when a scheduler of this process sets the pool gauges in
    ///     `metricsRegistry` (its engine's ``EngineMetrics``); true: each scrape reads them from the store.
    public static func make(
        engine: Engine, options: APIServerOptions, routes: APIRoutes = APIRoutes(), resources: Resources = Resources(),
        metricsRegistry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), poolGaugesFromStore: Bool = true,
        logger: Logger
    ) async throws -> APIServer {
        let tokens = try await TokenService.open(store: engine.store, lifetime: options.tokenLifetime)
        let metrics = APIMetrics(registry: metricsRegistry, engine: engine, poolGaugesFromStore: poolGaugesFromStore)
        let context = APIServerContext(
            engine: engine, tokens: tokens, passwords: PasswordHasher(cost: options.passwordHashCost), throttle: LoginThrottle(),
            maximumPageLimit: options.maximumPageLimit, logger: logger, resources: resources, metrics: metrics,
            secure: options.tlsCertificate != nil,
            navigation: routes.pages.compactMap { page in page.navigation.map { NavigationItem(title: $0, path: page.path) } })
        let endpoints = AirflowRoutes.all + routes.endpoints
        let document = OpenAPIDocument(endpoints: endpoints, extraSchemas: routes.schemas)
        return APIServer(context: context, options: options, endpoints: endpoints, document: document, pages: routes.pages)
    }

    /// The Hummingbird application: a service that serves until shut down.
    public func application(
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws
        -> some ApplicationProtocol
    {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        let dispatcher = Dispatcher(context: context)
        for endpoint in endpoints {
            router.on(RouterPath(Self.hummingbirdPath(endpoint.path)), method: endpoint.method) { request, requestContext in
                await dispatcher.respond(endpoint, request, requestContext)
            }
        }
        let pageDispatcher = PageDispatcher(context: context)
        for page in pages {
            router.on(RouterPath(Self.hummingbirdPath(page.path)), method: page.method) { request, requestContext in
                await pageDispatcher.respond(page, request, requestContext)
            }
        }
        let documentBytes = document.json()
        router.get("/openapi.json") { _, _ in
            APIResponse.bytes(.ok, documentBytes, contentType: "application/json").hummingbird
        }
        let server: HTTPServerBuilder
        if let certificate = options.tlsCertificate, let key = options.tlsKey {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            let tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            server = try .tls(.http1(), tlsConfiguration: tls)
        } else {
            server = .http1()
        }
        return Application(
            router: router, server: server,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "Updraft"),
            onServerRunning: onServerRunning, logger: context.logger)
    }
}

extension APIServer {
    /// `/a/{b}` as Hummingbird spells it, `/a/:b`.
    static func hummingbirdPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : part
        }.joined(separator: "/")
    }
}

extension APIResponse {
    var hummingbird: Response { Response(status: status, headers: headers, body: body) }
}

/// Runs one endpoint: authentication, role, parameters, handler, errors, metrics.
struct Dispatcher: Sendable {
    let context: APIServerContext

    func respond(_ endpoint: Endpoint, _ request: Request, _ requestContext: APIRequestContext) async -> Response {
        let started = ContinuousClock.now
        let response: APIResponse
        do {
            response = try await handle(endpoint, request, requestContext)
        } catch let error as APIError {
            response = error.response
        } catch {
            let translated = Self.translate(error)
            if translated.status == .internalServerError {
                context.logger.error("\(endpoint.method) \(endpoint.path) failed: \(error)")
            }
            response = translated.response
        }
        context.metrics.request(endpoint: endpoint, status: Int(response.status.code), duration: ContinuousClock.now - started)
        return response.hummingbird
    }

    private func handle(_ endpoint: Endpoint, _ request: Request, _ requestContext: APIRequestContext) async throws -> APIResponse {
        var identity: APIIdentity?
        if let role = endpoint.role {
            let caller = try await authenticate(request, method: endpoint.method)
            guard caller.role >= role else {
                throw APIError.forbidden("Forbidden: the role '\(caller.role.rawValue)' may not \(endpoint.summary.lowercased())")
            }
            identity = caller
        }
        // The router forgives a trailing slash; the API does not (`/pools/` names no pool, and is
        // not the list of pools).
        if request.uri.path.count > 1, request.uri.path.hasSuffix("/") { throw APIError.notFound("Not Found") }
        var pathValues: [String: String] = [:]
        for name in endpoint.pathParameters {
            let raw = requestContext.parameters.get(name) ?? ""
            pathValues[name] = raw.removingPercentEncoding ?? raw
        }
        let queryValues = try Self.parseQuery(endpoint.query, request.uri.queryParameters)
        var body: [UInt8] = []
        if endpoint.body != nil || endpoint.method == .post || endpoint.method == .patch || endpoint.method == .put {
            var buffer = try await request.body.collect(upTo: requestContext.maxUploadSize)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        }
        var address = "unknown"
        if let remote = requestContext.remoteAddress { address = remote.ipAddress ?? "unknown" }
        let apiRequest = APIRequest(
            endpoint: endpoint.operationId, pathValues: pathValues, queryValues: queryValues,
            declared: Set(endpoint.query.map(\.name)), identity: identity, body: body, headers: request.headers,
            clientAddress: address, context: context)
        return try await endpoint.handler(apiRequest)
    }

    /// The caller of a bearer token, else of a browser session cookie (whose unsafe requests must
    /// carry its CSRF token); 401 without either, 403 for a cookie request without its CSRF token.
    private func authenticate(_ request: Request, method: HTTPRequest.Method) async throws -> APIIdentity {
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            guard let identity = try await context.tokens.verify(token, store: context.store, now: context.now) else {
                throw APIError.unauthorized("Invalid or expired token")
            }
            return identity
        }
        guard let session = request.cookies[BrowserSession.sessionCookie]?.value, !session.isEmpty else {
            throw APIError.unauthorized()
        }
        guard let identity = try await context.tokens.verify(session, store: context.store, now: context.now) else {
            throw APIError.unauthorized("Invalid or expired session")
        }
        if BrowserSession.isUnsafe(method) {
            let expected = BrowserSession.csrfToken(for: session, key: context.tokens.key)
            guard let sent = request.headers[BrowserSession.csrfHeader], sent == expected else {
                throw APIError.forbidden("CSRF token missing or wrong: send the session's token in X-CSRF-Token")
            }
        }
        return identity
    }

    /// Parses the declared query parameters (FastAPI's 422 for a value of the wrong type).
    static func parseQuery(_ declared: [QueryParameter], _ parameters: Parameters) throws(APIError) -> [String: QueryValue] {
        var values: [String: QueryValue] = [:]
        var issues: [ValidationIssue] = []
        for parameter in declared {
            let raw = parameters.getAll(parameter.name).map { String($0) }
            guard let last = raw.last else {
                if parameter.required { issues.append(.missing(["query", parameter.name])) }
                continue
            }
            switch parameter.kind {
            case .string: values[parameter.name] = .string(last)
            case .strings: values[parameter.name] = .strings(raw)
            case .integer:
                guard let number = Int(last) else {
                    issues.append(
                        ValidationIssue(
                            type: "int_parsing", loc: ["query", parameter.name],
                            msg: "Input should be a valid integer, unable to parse string as an integer", input: .string(last)))
                    continue
                }
                if let minimum = parameter.minimum, number < minimum {
                    issues.append(
                        ValidationIssue(
                            type: "greater_than_equal", loc: ["query", parameter.name],
                            msg: "Input should be greater than or equal to \(minimum)", input: .string(last)))
                    continue
                }
                values[parameter.name] = .integer(number)
            case .boolean:
                switch last.lowercased() {
                case "true", "1", "yes", "on": values[parameter.name] = .boolean(true)
                case "false", "0", "no", "off": values[parameter.name] = .boolean(false)
                default:
                    issues.append(
                        ValidationIssue(
                            type: "bool_parsing", loc: ["query", parameter.name],
                            msg: "Input should be a valid boolean, unable to interpret input",
                            input: .string(last)))
                }
            case .dateTime:
                guard let date = APIDate.parse(last) else {
                    issues.append(
                        ValidationIssue(
                            type: "datetime_from_date_parsing", loc: ["query", parameter.name],
                            msg: "Input should be a valid datetime with a timezone (ISO 8601)", input: .string(last)))
                    continue
                }
                values[parameter.name] = .date(date)
            case .choice(let allowed):
                guard allowed.contains(last) else {
                    issues.append(
                        ValidationIssue(
                            type: "enum", loc: ["query", parameter.name],
                            msg: "Input should be " + allowed.map { "'\($0)'" }.joined(separator: ", "), input: .string(last)))
                    continue
                }
                values[parameter.name] = .string(last)
            case .choices(let allowed):
                let bad = raw.filter { !allowed.contains($0) }
                guard bad.isEmpty else {
                    issues.append(
                        ValidationIssue(
                            type: "enum", loc: ["query", parameter.name],
                            msg: "Input should be " + allowed.map { "'\($0)'" }.joined(separator: ", "), input: .string(bad[0])))
                    continue
                }
                values[parameter.name] = .strings(raw)
            }
        }
        if !issues.isEmpty { throw APIError(validation: issues) }
        return values
    }

    /// The engine's and the store's errors as API answers (``APIError/init(translating:)``); anything else is a 500 with no detail
    /// beyond its kind (the message goes to the server's log, never to the client).
    static func translate(_ error: any Error) -> APIError {
        switch error {
        case let error as RuntimeError:
            switch error {
            case .unknownDAG, .unknownRun, .unknownRunId, .unknownTask: return .notFound(error.description)
            case .runOwned: return .conflict(error.description)
            case .badRequest, .invalidDAG, .ambiguousRun: return .badRequest(error.description)
            case .stateDatabaseLost: return APIError(.serviceUnavailable, "the state database is unavailable")
            }
        case let error as StoreError:
            switch error {
            case .duplicateRun: return .conflict(error.description)
            case .unknownRun: return .notFound(error.description)
            case .leaseLost, .activeBackfill, .claimLost: return .conflict(error.description)
            case .unknownBackfill, .unknownAsset: return .notFound(error.description)
            case .invalidQuery: return .badRequest(error.description)
            case .database: return APIError(.internalServerError, "Internal Server Error")
            }
        case let error as BackfillError:
            switch error {
            case .alreadyRunning, .alreadyCompleted: return .conflict(error.description)
            case .unknownBackfill: return .notFound(error.description)
            case .invalid: return .badRequest(error.description)
            }
        case let error as ConfError: return .badRequest(error.message)
        case is RequestBodyTooLargeError: return APIError(.contentTooLarge, "Request body too large")
        default: return APIError(.internalServerError, "Internal Server Error")
        }
    }
}

/// Hummingbird's error when a body passes `maxUploadSize` (matched by type, whatever its module calls it).
typealias RequestBodyTooLargeError = HTTPError

extension APIError {
    /// `error` as the API answers it: the engine's and the store's errors by meaning (unknown
    /// run: 404, duplicate: 409…), anything else a 500 without detail.
    public init(translating error: any Error) {
        if let error = error as? APIError { self = error } else { self = Dispatcher.translate(error) }
    }
}

extension APIError {
    var response: APIResponse {
        var response = APIResponse.bytes(status, body(), contentType: "application/json")
        for field in headers { response.headers.append(field) }
        return response
    }
}
