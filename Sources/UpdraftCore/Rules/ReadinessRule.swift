import Foundation

/// What the readiness rules look at for one task (a snapshot read from the store).
public struct ReadinessSnapshot: Sendable {
    public var task: TaskInstance
    public var runState: RunState
    public var triggerRule: TriggerRule
    /// Direct upstream tasks and their states.
    public var upstream: [(id: String, state: TaskState)]
    /// Slots of the task's pool, nil when the pool does not exist.
    public var poolSlots: Int?
    /// Slots of the pool taken by running tries.
    public var poolSlotsUsed: Int
    public var activeTasksInRun: Int
    public var maxActiveTasks: Int
    /// A live process owns the run or a live scheduler will pick it up.
    public var hasLiveOwner: Bool
    public var now: Date

    public init(
        task: TaskInstance, runState: RunState, triggerRule: TriggerRule,
        upstream: [(id: String, state: TaskState)], poolSlots: Int?, poolSlotsUsed: Int,
        activeTasksInRun: Int, maxActiveTasks: Int, hasLiveOwner: Bool, now: Date
    ) {
        self.task = task; self.runState = runState; self.triggerRule = triggerRule; self.upstream = upstream
        self.poolSlots = poolSlots; self.poolSlotsUsed = poolSlotsUsed; self.activeTasksInRun = activeTasksInRun
        self.maxActiveTasks = maxActiveTasks; self.hasLiveOwner = hasLiveOwner; self.now = now
    }
}

/// The verdict of one readiness rule (Airflow's `TIDepStatus`).
public struct ReadinessCheck: Sendable, Hashable, Codable {
    public var rule: String
    public var passed: Bool
    /// A sentence a user can act on.
    public var reason: String
}

/// One reason a task may be held back (Airflow's `ti_deps`).
public protocol ReadinessRule: Sendable {
    /// A short name, e.g. "Trigger rule".
    var name: String { get }
    func check(_ snapshot: ReadinessSnapshot) -> ReadinessCheck
}

extension ReadinessRule {
    func verdict(_ passed: Bool, _ reason: String) -> ReadinessCheck {
        ReadinessCheck(rule: name, passed: passed, reason: reason)
    }
}

/// The rules `tasks why` evaluates, in order.
public enum ReadinessRules {
    public static let all: [any ReadinessRule] = [
        TaskStateReadiness(), RunStateReadiness(), TriggerRuleReadiness(), RetryPeriodReadiness(),
        PoolSlotsReadiness(), MaxActiveTasksReadiness(), RunOwnerReadiness(),
    ]

    /// Every rule's verdict for the snapshot.
    public static func evaluate(_ snapshot: ReadinessSnapshot) -> [ReadinessCheck] {
        all.map { $0.check(snapshot) }
    }
}
