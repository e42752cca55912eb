import Foundation

/// The task must not have finished or be running already.
public struct TaskStateReadiness: ReadinessRule {
    public var name: String { "Task state" }
    public init() {}
    public func check(_ s: ReadinessSnapshot) -> ReadinessCheck {
        switch s.task.state {
        case .none, .scheduled, .upForRetry: verdict(true, "task is in state \(s.task.state.rawValue)")
        case .queued, .running: verdict(false, "task is already \(s.task.state.rawValue) (try \(s.task.tryNumber))")
        default: verdict(false, "task is in the terminal state \(s.task.state.rawValue); clear it to run it again")
        }
    }
}

/// The run must be queued or running.
public struct RunStateReadiness: ReadinessRule {
    public var name: String { "Run state" }
    public init() {}
    public func check(_ s: ReadinessSnapshot) -> ReadinessCheck {
        s.runState.isTerminal
            ? verdict(false, "run is \(s.runState.rawValue); clear tasks to re-run them")
            : verdict(true, "run is \(s.runState.rawValue)")
    }
}

/// The trigger rule must allow the task to run given its upstream states.
public struct TriggerRuleReadiness: ReadinessRule {
    public var name: String { "Trigger rule" }
    public init() {}
    public func check(_ s: ReadinessSnapshot) -> ReadinessCheck {
        let counts = UpstreamCounts(states: s.upstream.map(\.state))
        let decision = s.triggerRule.evaluate(counts)
        let waiting = s.upstream.filter { !$0.state.isTerminal }.map { "\($0.id) (\($0.state.rawValue))" }
        let failed = s.upstream.filter { $0.state.isFailure }.map { "\($0.id) (\($0.state.rawValue))" }
        let summary =
            "\(counts.success) success, \(counts.failures) failed, \(counts.skipped) skipped, "
            + "\(counts.total - counts.done) not done of \(counts.total)"
        let rule = "trigger rule \(s.triggerRule.rawValue) needs \(s.triggerRule.requirement)"
        switch decision {
        case .run: return verdict(true, "\(rule): met (\(summary))")
        case .wait: return verdict(false, "\(rule); waiting for \(waiting.joined(separator: ", "))")
        case .upstreamFailed: return verdict(false, "\(rule); failed upstream: \(failed.joined(separator: ", "))")
        case .skip: return verdict(false, "\(rule); it can no longer hold (\(summary)), so the task is skipped")
        }
    }
}

/// An `up_for_retry` task waits for its retry delay.
public struct RetryPeriodReadiness: ReadinessRule {
    public var name: String { "Retry period" }
    public init() {}
    public func check(_ s: ReadinessSnapshot) -> ReadinessCheck {
        guard s.task.state == .upForRetry, let next = s.task.nextRetryAt else {
            return verdict(true, "not waiting for a retry")
        }
        return next > s.now
            ? verdict(false, "try \(s.task.tryNumber) failed; next try at \(TaskLog.timestamp(next))")
            : verdict(true, "retry delay elapsed at \(TaskLog.timestamp(next))")
    }
}

/// The task's pool must exist and have enough free slots.
public struct PoolSlotsReadiness: ReadinessRule {
    public var name: String { "Pool slots" }
    public init() {}
    public func check(_ s: ReadinessSnapshot) -> ReadinessCheck {
        guard let slots = s.poolSlots else {
            return verdict(false, "pool '\(s.task.pool)' does not exist; create it with `updraft pools set \(s.task.pool) N`")
        }
        let free = slots - s.poolSlotsUsed
        return free >= s.task.poolSlots
            ? verdict(true, "pool '\(s.task.pool)' has \(free) of \(slots) slots free")
            : verdict(false, "pool '\(s.task.pool)' has \(max(0, free)) of \(slots) slots free; the task needs \(s.task.poolSlots)")
    }
}

/// The run must be below the DAG's `maxActiveTasks`.
public struct MaxActiveTasksReadiness: ReadinessRule {
    public var name: String { "DAG max active tasks" }
    public init() {}
    public func check(_ s: ReadinessSnapshot) -> ReadinessCheck {
        s.activeTasksInRun < s.maxActiveTasks
            ? verdict(true, "\(s.activeTasksInRun) of \(s.maxActiveTasks) tasks of the run are active")
            : verdict(false, "the run already has \(s.activeTasksInRun) active tasks (maxActiveTasks \(s.maxActiveTasks))")
    }
}

/// Someone must execute the run: an owning process or a live scheduler.
public struct RunOwnerReadiness: ReadinessRule {
    public var name: String { "Run owner" }
    public init() {}
    public func check(_ s: ReadinessSnapshot) -> ReadinessCheck {
        if s.runState.isTerminal || s.hasLiveOwner { return verdict(true, "a live process executes the run") }
        return verdict(
            false,
            "no live process owns the run and no scheduler is running; "
                + "start `updraft scheduler` or run `updraft dags trigger … --wait`")
    }
}
