import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import UpdraftAPI
import UpdraftRuntime

/// `updraft scheduler`: Run the long-running scheduler.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Run the scheduler: create due runs and execute them until SIGTERM or SIGINT."
    )

    @OptionGroup var engine: EngineOptions
    @OptionGroup var execution: ExecutionOptions
    @OptionGroup var metrics: MetricsOptions
    @Option(
        help: ArgumentHelp(
            "Queues this scheduler's own worker pool serves, comma-separated; '' serves none (default: default,warehouse).",
            discussion:
                "Tries of other queues wait in the state store for `updraft worker`. Over SQLite without --queues, every try runs here."))
    var queues: String?

    func run() async throws {
        var engine = try await engine.engine()
        // One scheduler per SQLite home; over a shared server (PostgreSQL) any number, anywhere.
        if engine.storePath != nil, let other = try await engine.liveScheduler() {
            throw CLIError.usage("a scheduler is already running (\(other)) for \(engine.home.root)")
        }
        let execution = self.execution
        let delivery = try self.engine.delivery(store: engine.store)
        let routed = queues != nil || engine.storePath == nil
        let local = queues.map(QueueList.parse) ?? ["default", "warehouse"]
        let factory: @Sendable () async throws -> any TaskExecutor = { [engine] in
            let pool = try await execution.executor()
            guard routed else { return pool }
            return QueueRoutingExecutor(
                local: pool, localQueues: Set(local), store: engine.store, clock: engine.clock,
                logger: Logger(label: "updraft.scheduler"))
        }
        let version = CLIEnvironment.application?.version ?? EngineVersion.current
        // Idle twice as long as its workers wait before they exit, it gives its start-up memory
        // back too: by then they are gone, and pages another process still maps are not released.
        let configuration = try CLIEnvironment.session?.configuration ?? self.engine.location.configuration()
        let idleRelease = configuration.workerIdleTimeout.map { 2 * TimeInterval($0.components.seconds) }
        guard let port = metrics.metricsPort else {
            try await SchedulerService.runUntilSignalled(
                engine: engine, delivery: delivery, queues: routed ? local : ["*"], version: version,
                releaseMemoryWhenIdle: idleRelease, executorFactory: factory)
            return
        }
        let registry = PrometheusCollectorRegistry()
        engine.metrics = .prometheus(registry)
        var logger = Logger(label: "updraft.scheduler")
        logger.logLevel = .info
        var scheduler = SchedulerService(engine: engine, logger: logger, executorFactory: factory)
        scheduler.delivery = delivery
        scheduler.queues = routed ? local : ["*"]
        scheduler.version = version
        scheduler.releaseMemoryWhenIdle = idleRelease
        let server = MetricsServer(registry: registry, host: metrics.metricsHost ?? "127.0.0.1", port: port)
        let application = server.application(logger: logger, onServerRunning: MetricsOptions.announce(server))
        let group = ServiceGroup(
            configuration: .init(
                services: [scheduler, application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Where a process without the API serves its Prometheus metrics.
struct MetricsOptions: ParsableArguments {
    @Option(help: "Serve Prometheus metrics at /metrics on this port (0 picks a free one; default: none).")
    var metricsPort: Int?
    @Option(help: "Address the metrics listen on (default: 127.0.0.1, loopback only).") var metricsHost: String?

    func validate() throws {
        if let metricsPort, !(0...65_535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be 0 to 65535, got \(metricsPort)")
        }
    }

    /// Prints `metrics at URL` (the real port when 0 was asked) once the socket is bound.
    static func announce(_ server: MetricsServer) -> @Sendable (any Channel) async -> Void {
        { channel in
            let port = channel.localAddress?.port ?? server.port
            FileHandle.standardOutput.write(Data("Updraft metrics at http://\(server.host):\(port)/metrics\n".utf8))
        }
    }
}
