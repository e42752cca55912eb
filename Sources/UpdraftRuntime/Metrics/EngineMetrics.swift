import CoreMetrics
import UpdraftCore

/// The engine's metrics, made by a swift-metrics `MetricsFactory` passed in, never by the global
/// `MetricsSystem`. Names are Airflow's with dots as underscores and ids as labels:
///
/// | Name | Labels | Airflow |
/// |---|---|---|
/// | `updraft_ti_start_total` | `dag_id`, `task_id` | `ti.start.<dag>.<task>` |
/// | `updraft_ti_finish_total` | `dag_id`, `task_id`, `state` | `ti.finish.<dag>.<task>.<state>` |
/// | `updraft_dagrun_duration_seconds` (timer) | `dag_id`, `state` | `dagrun.duration.<state>.<dag>` |
/// | `updraft_scheduler_heartbeat_total` | | `scheduler_heartbeat` |
/// | `updraft_pool_open_slots` (meter) | `pool` | `pool.open_slots.<pool>` |
/// | `updraft_pool_running_slots` (meter) | `pool` | `pool.running_slots.<pool>` |
///
/// `updraft_pool_running_slots` counts the slots of tries handed to the executor, `queued` ones
/// included (the slot ledger does not tell them apart); the API's pool `queued_slots` and
/// `running_slots` come from the stored states instead.
///
/// A task a factory built is labelled with the outermost factory's id (as Airflow counts a mapped
/// task's instances under its one id). Plus the counters tries report through `ctx.metrics` (``TaskMetrics``), recorded by the run's owner.
/// The default factory is swift-metrics' no-op one: an embedder that passes nothing pays nothing.
///
/// ```swift
/// let registry = PrometheusCollectorRegistry()
/// let engine = try await Engine.open(home: home, registry: dags,
///     metrics: EngineMetrics(factory: PrometheusMetricsFactory(registry: registry)))
/// // serve registry.emitToBuffer() at /metrics
/// ```
public struct EngineMetrics: Sendable {
    /// Where the handlers come from.
    public let factory: any MetricsFactory
    /// False for the no-op factory: the engine then makes no handler and records nothing.
    public let isEnabled: Bool
    /// The counters tries reported so far (shared by the copies of this value).
    let reported = ReportedCounters()

    /// Metrics made by `factory` (the no-op factory by default).
    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
        isEnabled = !(factory is NOOPMetricsHandler)
    }

    /// The names the engine records under.
    public enum Name {
        public static let tiStart = "updraft_ti_start_total"
        public static let tiFinish = "updraft_ti_finish_total"
        public static let dagRunDuration = "updraft_dagrun_duration_seconds"
        public static let schedulerHeartbeat = "updraft_scheduler_heartbeat_total"
        public static let poolOpenSlots = "updraft_pool_open_slots"
        public static let poolRunningSlots = "updraft_pool_running_slots"
    }

    /// Histogram buckets suited to run durations (1 s to 6 h), for a factory that takes them per
    /// name (swift-prometheus: `factory.durationHistogramBuckets[Name.dagRunDuration]`).
    public static let runDurationBuckets: [Duration] = [
        .seconds(1), .seconds(5), .seconds(15), .seconds(30), .seconds(60), .seconds(300), .seconds(900),
        .seconds(1800), .seconds(3600), .seconds(3 * 3600), .seconds(6 * 3600),
    ]

    /// `updraft_scheduler_heartbeat_total`, nil when disabled.
    func schedulerHeartbeat() -> (any CounterHandler)? {
        isEnabled ? factory.makeCounter(label: Name.schedulerHeartbeat, dimensions: []) : nil
    }

    /// `updraft_pool_open_slots{pool}` and `updraft_pool_running_slots{pool}`, nil when disabled.
    func poolGauges(_ pool: String) -> (open: any MeterHandler, running: any MeterHandler)? {
        guard isEnabled else { return nil }
        return (
            factory.makeMeter(label: Name.poolOpenSlots, dimensions: [("pool", pool)]),
            factory.makeMeter(label: Name.poolRunningSlots, dimensions: [("pool", pool)])
        )
    }

    /// A counter made for a reported `increment`, or why it is refused (``ReportedCounters``).
    func counter(_ increment: CounterIncrement) -> Result<any CounterHandler, CounterRefused> {
        if let reason = reported.refusal(increment) { return .failure(CounterRefused(reason: reason)) }
        return .success(factory.makeCounter(label: increment.name, dimensions: increment.labels.sorted { $0.key < $1.key }))
    }
}

/// A counter a try reported that the run's owner does not record, and why.
struct CounterRefused: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
