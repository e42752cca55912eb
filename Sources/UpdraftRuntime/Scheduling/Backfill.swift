import Foundation
import UpdraftCore
import UpdraftStore

/// Progress of a backfill, reported after each run ends.
public struct BackfillProgress: Sendable {
    public var total: Int
    public var succeeded: Int
    public var failed: Int
    public var running: Int
    public var done: Int { succeeded + failed }
}

extension Engine {
    /// One run per data interval of the DAG's schedule with a logical date in `[from, to]`,
    /// `maxActiveRuns` at a time, executed in this process. Existing backfill runs of the DAG are
    /// resumed (finished ones are kept as they are). A range that starts before the DAG's start
    /// date or ends in the future is refused (`badRequest`), as Airflow's backfill refuses them.
    public func backfill(
        dagId: String, from: Date, to: Date, maxActiveRuns: Int, conf: [String: JSONValue] = [:],
        executor: any TaskExecutor,
        progress: @escaping @Sendable (BackfillProgress) -> Void
    ) async throws -> [DAGRun] {
        let dag = try registry.dag(dagId)
        guard case .cron = dag.schedule else {
            throw RuntimeError.badRequest("DAG '\(dagId)' has no cron schedule (\(dag.schedule)); nothing to backfill")
        }
        if from < dag.startDate {
            throw RuntimeError.badRequest(
                "backfill of '\(dagId)' from \(RunIdentifier.timestamp(from)) starts before the "
                    + "DAG's start date \(RunIdentifier.timestamp(dag.startDate))")
        }
        let now = clock.now
        if to > now {
            throw RuntimeError.badRequest(
                "backfill of '\(dagId)' to \(RunIdentifier.timestamp(to)) reaches into the future "
                    + "(now is \(RunIdentifier.timestamp(now)))")
        }
        let intervals = dag.schedule.dataIntervals(from: from, to: to)
        var runIds: [RunKey] = []
        for interval in intervals {
            let key = RunKey(dagId, "backfill__\(RunIdentifier.timestamp(interval.start))")
            if try await store.run(key) == nil {
                _ = try await trigger(
                    dagId: dagId, conf: conf, logicalDate: interval.start, dataInterval: interval,
                    runType: .backfill, runId: key.runId)
            }
            runIds.append(key)
        }
        let pools = try await store.pools()
        let ledger = SlotLedger(parallelism: executor.capacity * 2, pools: pools)
        let limit = max(1, maxActiveRuns)
        var state = BackfillProgress(total: runIds.count, succeeded: 0, failed: 0, running: 0)
        for id in runIds {
            switch try await store.run(id)?.state {
            case .success: state.succeeded += 1
            case .failed: state.failed += 1
            default: break
            }
        }
        var pending: [RunKey] = []
        for id in runIds where try await !(store.run(id)?.state.isTerminal ?? true) { pending.append(id) }
        try await withThrowingTaskGroup(of: RunState?.self) { group in
            var iterator = pending.makeIterator()
            func launch() -> Bool {
                guard let id = iterator.next() else { return false }
                state.running += 1
                group.addTask { try await self.execute(id, executor: executor, ledger: ledger) }
                return true
            }
            for _ in 0..<limit where !launch() { break }
            progress(state)
            while let outcome = try await group.next() {
                state.running -= 1
                if outcome == .success { state.succeeded += 1 } else { state.failed += 1 }
                _ = launch()
                progress(state)
            }
        }
        var result: [DAGRun] = []
        for id in runIds { if let run = try await store.run(id) { result.append(run) } }
        return result
    }
}
