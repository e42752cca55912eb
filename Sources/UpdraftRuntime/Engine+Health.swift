import Foundation
import UpdraftStore

/// The health of an engine's state store and of the processes that share it (Airflow's
/// `/monitor/health`, with the workers added).
public struct EngineHealth: Sendable {
    /// Whether the store answered; its error when not.
    public var databaseError: String?
    /// The newest heartbeat of any registered scheduler.
    public var latestSchedulerHeartbeat: Date?
    /// A scheduler heartbeat within the lease timeout (or a live scheduler on this host).
    public var schedulerHealthy: Bool
    /// Registered workers whose heartbeat is within the lease timeout, and those past it.
    public var aliveWorkers: Int
    public var staleWorkers: Int
    /// Migrations the store lacks (`updraft db migrate`).
    public var pendingMigrations: [String]

    public var databaseHealthy: Bool { databaseError == nil }
}

extension Engine {
    /// Reads the store's health and the heartbeats of the schedulers and workers that share it.
    public func health() async -> EngineHealth {
        let now = clock.now
        var health = EngineHealth(
            databaseError: nil, latestSchedulerHeartbeat: nil, schedulerHealthy: false, aliveWorkers: 0, staleWorkers: 0,
            pendingMigrations: [])
        do {
            let records = try await store.workers()
            let schedulers = records.filter { $0.kind == "scheduler" }
            health.latestSchedulerHeartbeat = schedulers.map(\.heartbeatAt).max()
            health.schedulerHealthy =
                health.latestSchedulerHeartbeat.map { now.timeIntervalSince($0) <= leaseTimeout } ?? false
            if !health.schedulerHealthy, storePath != nil, try await liveScheduler() != nil { health.schedulerHealthy = true }
            let workers = records.filter { $0.kind == "worker" }
            health.aliveWorkers = workers.filter { now.timeIntervalSince($0.heartbeatAt) <= leaseTimeout }.count
            health.staleWorkers = workers.count - health.aliveWorkers
            if let maintained = store as? any StoreMaintenance { health.pendingMigrations = try await maintained.pendingMigrations() }
        } catch {
            health.databaseError = "\(error)"
        }
        return health
    }
}
