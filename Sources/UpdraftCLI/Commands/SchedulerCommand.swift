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

    func run() async throws {
        var engine = try await engine.engine()
        if let other = try await engine.liveScheduler() {
            throw CLIError.usage("a scheduler is already running (\(other)) for \(engine.home.root)")
        }
        let execution = self.execution
        let delivery = try self.engine.delivery(store: engine.store)
        guard let port = metrics.metricsPort else {
            try await SchedulerService.runUntilSignalled(engine: engine, delivery: delivery) { try await execution.executor() }
            return
        }
        let registry = PrometheusCollectorRegistry()
        engine.metrics = .prometheus(registry)
        var logger = Logger(label: "updraft.scheduler")
        logger.logLevel = .info
        var scheduler = SchedulerService(engine: engine, logger: logger) { try await execution.executor() }
        scheduler.delivery = delivery
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
