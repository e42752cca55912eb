import CoreMetrics
import Foundation
import UpdraftCore

/// What one run's driver records, with each handler made once per label set. The driver's steps
/// are serial, so the caches need no lock; the factory is asked only for a label set not seen yet.
struct RunMetricsRecorder {
    private struct FinishKey: Hashable {
        var taskId: String
        var state: TaskState
    }

    private struct CounterKey: Hashable {
        var name: String
        var labels: [String: String]
    }

    let metrics: EngineMetrics
    let dagId: String
    private var starts: [String: any CounterHandler] = [:]
    private var finishes: [FinishKey: any CounterHandler] = [:]
    /// Nil for a counter refused (its reason is logged once per run).
    private var counters: [CounterKey: (any CounterHandler)?] = [:]

    init(metrics: EngineMetrics, dagId: String) {
        self.metrics = metrics
        self.dagId = dagId
    }

    /// `updraft_ti_start_total{dag_id,task_id}`.
    mutating func tryStarted(_ taskId: String) {
        guard metrics.isEnabled else { return }
        if let handler = starts[taskId] { return handler.increment(by: 1) }
        let handler = metrics.factory.makeCounter(
            label: EngineMetrics.Name.tiStart, dimensions: [("dag_id", dagId), ("task_id", taskId)])
        starts[taskId] = handler
        handler.increment(by: 1)
    }

    /// `updraft_ti_finish_total{dag_id,task_id,state}`, `state` being where the try left the instance.
    mutating func tryFinished(_ taskId: String, state: TaskState) {
        guard metrics.isEnabled else { return }
        let key = FinishKey(taskId: taskId, state: state)
        if let handler = finishes[key] { return handler.increment(by: 1) }
        let handler = metrics.factory.makeCounter(
            label: EngineMetrics.Name.tiFinish,
            dimensions: [("dag_id", dagId), ("task_id", taskId), ("state", state.rawValue)])
        finishes[key] = handler
        handler.increment(by: 1)
    }

    /// `updraft_dagrun_duration_seconds{dag_id,state}`: from the run's start to its end.
    func runEnded(_ state: RunState, duration: TimeInterval) {
        guard metrics.isEnabled else { return }
        metrics.factory.makeTimer(
            label: EngineMetrics.Name.dagRunDuration, dimensions: [("dag_id", dagId), ("state", state.rawValue)]
        ).recordNanoseconds(Int64((max(0, duration) * 1e9).rounded()))
    }

    /// Adds the counters a try reported (``TaskReply/counters``); returns why any new one was
    /// refused (for the run's log: a refused counter is dropped, never recorded half-way).
    mutating func record(_ increments: [CounterIncrement]?) -> [String] {
        guard metrics.isEnabled, let increments else { return [] }
        var refusals: [String] = []
        for increment in increments where increment.amount > 0 {
            let key = CounterKey(name: increment.name, labels: increment.labels)
            if let cached = counters[key] {
                cached?.increment(by: increment.amount)
                continue
            }
            switch metrics.counter(increment) {
            case .success(let handler):
                counters[key] = handler
                handler.increment(by: increment.amount)
            case .failure(let refused):
                counters[key] = .some(nil)
                refusals.append(refused.reason)
            }
        }
        return refusals
    }
}
