import Foundation

/// Counters that tries of this process increment, kept until the runtime ships them to the run's
/// owner with the next try's reply; the owner adds them to its metrics factory. The engine stays
/// domain-free: names and labels are the domain's (`updraft_http_retries_total{host}`). Each
/// ``Resources`` has one (`resources.metrics`), which a resource built with
/// `ResourceProvider.lazy(_:resources:)` may keep (an HTTP client counting its retries).
///
/// ```swift
/// d.task("load") { ctx in
///     let rows = try load()
///     ctx.metrics.increment("updraft_rows_ingested_total", labels: ["table": "klines"], by: rows)
/// }
/// ```
///
/// Increments made after a worker's last reply, or by a try whose worker crashed, are lost.
public final class TaskMetrics: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [CounterKey: Int64] = [:]

    struct CounterKey: Hashable {
        var name: String
        var labels: [String: String]
    }

    /// An empty set of counters.
    public init() {}

    /// Adds `amount` (≥ 0; anything else is ignored) to the counter `name` with `labels`.
    public func increment(_ name: String, labels: [String: String] = [:], by amount: Int = 1) {
        guard amount > 0 else { return }
        lock.withLock { pending[CounterKey(name: name, labels: labels), default: 0] += Int64(amount) }
    }

    /// The increments made since the last call, emptied (the runtime sends them with a reply).
    public func drain() -> [CounterIncrement] {
        let taken = lock.withLock {
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        return taken.map { CounterIncrement(name: $0.key.name, labels: $0.key.labels, amount: $0.value) }
            .sorted { ($0.name, $0.labels.description) < ($1.name, $1.labels.description) }
    }
}

/// An amount a process added to a named counter, as sent to the run's owner.
public struct CounterIncrement: Sendable, Codable, Hashable {
    /// A Prometheus metric name, e.g. `updraft_http_retries_total`.
    public var name: String
    public var labels: [String: String]
    public var amount: Int64

    /// An increment of `name` with `labels` by `amount`.
    public init(name: String, labels: [String: String] = [:], amount: Int64) {
        self.name = name; self.labels = labels; self.amount = amount
    }
}
