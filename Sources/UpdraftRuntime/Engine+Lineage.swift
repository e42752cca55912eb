import Foundation
import UpdraftCore
import UpdraftStore

extension Engine {
    /// The runs whose asset events `run` consumed (its upstream runs), oldest event first.
    public func upstreamRuns(of run: RunKey) async throws -> [RunKey] {
        var seen: Set<RunKey> = []
        return try await store.assetEvents(consumedBy: run).map(\.sourceRun).filter { seen.insert($0).inserted }
    }

    /// The runs that consumed asset events `run` produced (its downstream runs).
    public func downstreamRuns(of run: RunKey) async throws -> [RunKey] {
        try await store.runsConsuming(events: store.assetEvents(producedBy: run).map(\.id))
    }

    /// What a DAG waits for next: its next data interval for a cron schedule, the asset
    /// condition for an asset schedule (both for time and assets).
    public func nextRunDescription(of dagId: String) async throws -> String {
        let dag = try registry.dag(dagId)
        var parts: [String] = []
        let entry = try await store.dagEntries().first { $0.dagId == dagId }
        if case .none = dag.schedule {
        } else if let due = dag.schedule.nextDueDate(
            after: entry?.lastScheduledInterval, startDate: dag.startDate, catchup: dag.catchup, now: clock.now)
        {
            parts.append("due \(RunIdentifier.timestamp(due))")
        }
        if let condition = dag.assetCondition { parts.append("on assets: \(condition)") }
        return parts.isEmpty ? "-" : parts.joined(separator: " or ")
    }
}
