import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Prometheus
import Synchronization
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// The API server's metrics in Prometheus's text format, in a registry passed in (nothing
/// global): request latency per route, and the pools' slots read from the store at each scrape
/// (`updraft_pool_open_slots{pool}`, `updraft_pool_running_slots{pool}`, Airflow's
/// `pool.open_slots` with dots as underscores and ids as labels). When a scheduler in the same
/// process keeps the pool gauges in the same registry (`updraft standalone`), the scrape leaves
/// them to it (`poolGaugesFromStore: false`): one writer per series.
public final class APIMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let engine: Engine
    /// Whether a scrape sets the pool gauges from the store.
    let poolGaugesFromStore: Bool
    /// The `Content-Type` of Prometheus's text format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"
    /// The registry's histogram per route and status, kept so a request does not look it up by labels.
    private let histograms = Mutex<[HistogramKey: DurationHistogram]>([:])
    static let buckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]

    public init(registry: PrometheusCollectorRegistry, engine: Engine, poolGaugesFromStore: Bool = true) {
        self.registry = registry; self.engine = engine; self.poolGaugesFromStore = poolGaugesFromStore
    }

    /// Records one answered request under its route template (not its concrete path, so ids do
    /// not multiply the series).
    func request(endpoint: Endpoint, status: Int, duration: Duration) {
        record(method: endpoint.method.rawValue, route: endpoint.path, status: status, duration: duration)
    }

    /// A web UI page's answer, in the same histogram as the API's (its route is the page's path).
    func page(_ page: WebRoute, status: Int, duration: Duration) {
        record(method: page.method.rawValue, route: page.path, status: status, duration: duration)
    }

    private func record(method: String, route: String, status: Int, duration: Duration) {
        let key = HistogramKey(method: method, route: route, status: status)
        if let histogram = histograms.withLock({ $0[key] }) { return histogram.record(duration) }
        let histogram = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "updraft_api_request_duration", unitName: "seconds", helpText: "Latency of the API's answers"),
            labels: [("method", key.method), ("route", key.route), ("status", String(status))], buckets: Self.buckets)
        histograms.withLock { $0[key] = histogram }
        histogram.record(duration)
    }

    struct HistogramKey: Hashable, Sendable {
        var method: String
        var route: String
        var status: Int
    }

    /// The text of `/metrics`, with the pools' gauges read now.
    func scrape() async -> [UInt8] {
        guard poolGaugesFromStore else { return registry.emitToBuffer() }
        do {
            // The same reading as the pools route answers.
            let usage = try await PoolRoutes.slotUsage(engine.store)
            for pool in try await PoolRoutes.allPools(engine.store) {
                let running = usage[pool.name].map { $0.running + $0.queued } ?? 0
                registry.makeGauge(
                    descriptor: MetricNameDescriptor(
                        metricName: "updraft_pool_running", unitName: "slots", helpText: "Slots taken by queued and running tries"),
                    labels: [("pool", pool.name)]
                ).set(Double(running))
                registry.makeGauge(
                    descriptor: MetricNameDescriptor(metricName: "updraft_pool_open", unitName: "slots", helpText: "Slots free"),
                    labels: [("pool", pool.name)]
                ).set(Double(max(0, pool.slots - running)))
            }
        } catch {
            // A scrape still answers with what it has; the store's failure shows in the health route.
            registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "updraft_api_scrape_errors", unitName: "total", helpText: "Scrapes whose store read failed")
            ).increment()
        }
        return registry.emitToBuffer()
    }
}
