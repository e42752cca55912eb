import CoreMetrics
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Prometheus
import UpdraftRuntime

/// `GET /metrics` alone, in Prometheus's text format, for a process that serves no API
/// (`updraft scheduler --metrics-port`). Run its application in the same `ServiceGroup` as the
/// scheduler, so that both stop together.
///
/// ```swift
/// let registry = PrometheusCollectorRegistry()
/// engine.metrics = .prometheus(registry)
/// let server = MetricsServer(registry: registry, host: "127.0.0.1", port: 9102)
/// let group = ServiceGroup(services: [scheduler, server.application(logger: logger)], …)
/// ```
public struct MetricsServer: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// Loopback unless told otherwise.
    public let host: String
    /// 0 picks a free port (the bound one reaches `onServerRunning`).
    public let port: Int

    /// A server of `registry` on `host:port`.
    public init(registry: PrometheusCollectorRegistry, host: String = "127.0.0.1", port: Int) {
        self.registry = registry; self.host = host; self.port = port
    }

    /// The Hummingbird application: a service that serves until shut down.
    public func application(
        logger: Logger, onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        let registry = self.registry
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: APIMetrics.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "Updraft"),
            onServerRunning: onServerRunning, logger: logger)
    }
}

extension EngineMetrics {
    /// Engine metrics kept in `registry` through swift-prometheus's factory, with run durations
    /// bucketed from 1 s to 6 h (``EngineMetrics/runDurationBuckets``).
    public static func prometheus(_ registry: PrometheusCollectorRegistry) -> EngineMetrics {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[EngineMetrics.Name.dagRunDuration] = EngineMetrics.runDurationBuckets
        return EngineMetrics(factory: factory)
    }
}
