import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import UpdraftAPI
import UpdraftConfig
import UpdraftRuntime
import UpdraftStore

/// Options of the commands that serve the API.
struct ServeOptions: ParsableArguments {
    @Option(help: "Address to listen on (default: api.host, 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default: api.port, 8080; 0 picks a free one).") var port: Int?
    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("PEM certificate chain: serve HTTPS.", valueName: "file"))
    var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: ArgumentHelp("PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if let port, !(0...65_535).contains(port) { throw ValidationError("--port must be 0 to 65535, got \(port)") }
    }
}

/// Builds the API server of a command line: the engine, the application's routes and resources,
/// the options from the configuration and the flags; says where it listens once it does.
enum APIServerLauncher {
    /// `metricsRegistry`, when given, is shared with a scheduler of this process (whose engine
    /// metrics, pool gauges included, it then serves at `/metrics`).
    static func make(
        engine: Engine, configuration: UpdraftConfiguration, serve: ServeOptions,
        metricsRegistry: PrometheusCollectorRegistry? = nil, logger: Logger
    ) async throws
        -> APIServer
    {
        let options = APIConfig.options(
            configuration, host: serve.host, port: serve.port, tlsCertificate: serve.tlsCert, tlsKey: serve.tlsKey)
        if !options.isLoopback, options.tlsCertificate == nil, !configuration[.apiBehindTLSProxy] {
            FileHandle.standardError.write(
                Data(
                    ("warning: the API server listens on \(options.host) without TLS; tokens and passwords cross the network "
                        + "in clear. Give --tls-cert/--tls-key, or set api.behind_tls_proxy when a TLS terminator is in front.\n").utf8))
        }
        let application = CLIEnvironment.application
        return try await APIServer.make(
            engine: engine, options: options, routes: application?.apiRoutes(configuration) ?? APIRoutes(),
            resources: application?.resources(configuration) ?? Resources(),
            metricsRegistry: metricsRegistry ?? PrometheusCollectorRegistry(), poolGaugesFromStore: metricsRegistry == nil,
            logger: logger)
    }

    /// Prints `listening on URL` (the real port when 0 was asked) once the socket is bound.
    static func announce(_ server: APIServer) -> @Sendable (any Channel) async -> Void {
        let scheme = server.options.tlsCertificate == nil ? "http" : "https"
        let host = server.options.host
        return { channel in
            let port = channel.localAddress?.port ?? server.options.port
            FileHandle.standardOutput.write(
                Data("Updraft API server listening on \(scheme)://\(host):\(port) (web UI at /, OpenAPI document at /openapi.json)\n".utf8))
        }
    }

    static var logger: Logger {
        var logger = Logger(label: "updraft.api")
        logger.logLevel = .notice
        return logger
    }
}

/// `updraft api-server`: serve the REST API until SIGTERM or SIGINT.
struct APIServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-server",
        abstract: "Serve Airflow's REST API v2, the extensions' routes and the web UI over this home until SIGTERM or SIGINT.",
        discussion: """
            Listens on 127.0.0.1:8080 unless told otherwise. Get a token with \
            `curl -X POST http://127.0.0.1:8080/auth/token -H 'Content-Type: application/json' \
            -d '{"username": "…", "password": "…"}'` (make users with `users add`). Runs are executed \
            by `updraft scheduler` (or use `updraft standalone`).
            """
    )

    @OptionGroup var engine: EngineOptions
    @OptionGroup var serve: ServeOptions

    func run() async throws {
        let engine = try await engine.engine()
        let configuration = try self.engine.location.configuration()
        let logger = APIServerLauncher.logger
        let server = try await APIServerLauncher.make(engine: engine, configuration: configuration, serve: serve, logger: logger)
        let application = try server.application(onServerRunning: APIServerLauncher.announce(server))
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// `updraft standalone`: the scheduler and the API server in one process, for one machine.
struct StandaloneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standalone",
        abstract: "Run the scheduler, the API server and the web UI in one process (one machine), until SIGTERM or SIGINT.",
        discussion: """
            On a store with no user, creates `admin` with a generated password and prints it once, \
            as Airflow's standalone does.
            """
    )

    @OptionGroup var engine: EngineOptions
    @OptionGroup var execution: ExecutionOptions
    @OptionGroup var serve: ServeOptions

    func run() async throws {
        var engine = try await engine.engine()
        if let other = try await engine.liveScheduler() {
            throw CLIError.usage("a scheduler is already running (\(other)) for \(engine.home.root); use `updraft api-server` beside it")
        }
        let configuration = try self.engine.location.configuration()
        let logger = APIServerLauncher.logger
        // One registry: the API's `/metrics` shows the scheduler's engine metrics too.
        let registry = PrometheusCollectorRegistry()
        engine.metrics = .prometheus(registry)
        let server = try await APIServerLauncher.make(
            engine: engine, configuration: configuration, serve: serve, metricsRegistry: registry, logger: logger)
        if try await engine.store.users().isEmpty {
            let password = UserPasswords.generate()
            try await engine.saveUser(
                UserRecord(
                    username: "admin", passwordHash: server.context.passwords.hash(password), role: .admin,
                    createdAt: engine.clock.now),
                owner: "standalone")
            // Written at once (not through print's buffer), before the server says where it listens.
            FileHandle.standardOutput.write(
                Data(
                    ("Created user 'admin' (role admin) with password: \(password)\n"
                        + "It is shown only now; change it with `updraft users passwd admin`.\n").utf8))
        }
        let application = try server.application(onServerRunning: APIServerLauncher.announce(server))
        let execution = self.execution
        var schedulerLogger = Logger(label: "updraft.scheduler")
        schedulerLogger.logLevel = .info
        let scheduler = SchedulerService(engine: engine, logger: schedulerLogger) { try await execution.executor() }
        let group = ServiceGroup(
            configuration: .init(services: [scheduler, application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
