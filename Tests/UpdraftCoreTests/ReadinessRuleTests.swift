import Foundation
import Testing
import UpdraftCore

@Suite struct ReadinessRuleTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static func snapshot(
        state: TaskState = .none, run: RunState = .running, rule: TriggerRule = .allSuccess,
        upstream: [(String, TaskState)] = [], poolSlots: Int? = 128, used: Int = 0,
        active: Int = 0, owner: Bool = true, nextRetry: Date? = nil
    ) -> ReadinessSnapshot {
        var task = TaskInstance(runId: "r", dagId: "d", taskId: "t", state: state, tryNumber: 1, nextRetryAt: nextRetry)
        task.pool = "api"
        return ReadinessSnapshot(
            task: task, runState: run, triggerRule: rule,
            upstream: upstream.map { (id: $0.0, state: $0.1) }, poolSlots: poolSlots,
            poolSlotsUsed: used, activeTasksInRun: active, maxActiveTasks: 4,
            hasLiveOwner: owner, now: now)
    }

    // (rule, snapshot, passes, words the reason must contain)
    static let cases: [(any ReadinessRule, ReadinessSnapshot, Bool, String)] = [
        (TaskStateReadiness(), snapshot(), true, "state none"),
        (TaskStateReadiness(), snapshot(state: .success), false, "clear it"),
        (TaskStateReadiness(), snapshot(state: .running), false, "already running"),
        (RunStateReadiness(), snapshot(run: .failed), false, "run is failed"),
        (RunStateReadiness(), snapshot(), true, "run is running"),
        (TriggerRuleReadiness(), snapshot(upstream: [("extract", .running)]), false, "waiting for extract (running)"),
        (TriggerRuleReadiness(), snapshot(upstream: [("extract", .failed)]), false, "failed upstream: extract (failed)"),
        (TriggerRuleReadiness(), snapshot(upstream: [("extract", .success)]), true, "met"),
        (TriggerRuleReadiness(), snapshot(rule: .allFailed, upstream: [("extract", .success)]), false, "can no longer hold"),
        (RetryPeriodReadiness(), snapshot(state: .upForRetry, nextRetry: now.addingTimeInterval(60)), false, "next try at"),
        (RetryPeriodReadiness(), snapshot(state: .upForRetry, nextRetry: now.addingTimeInterval(-1)), true, "elapsed"),
        (PoolSlotsReadiness(), snapshot(poolSlots: 2, used: 2), false, "0 of 2 slots free"),
        (PoolSlotsReadiness(), snapshot(poolSlots: nil), false, "does not exist"),
        (PoolSlotsReadiness(), snapshot(poolSlots: 2, used: 1), true, "1 of 2"),
        (MaxActiveTasksReadiness(), snapshot(active: 4), false, "maxActiveTasks 4"),
        (MaxActiveTasksReadiness(), snapshot(active: 1), true, "1 of 4"),
        (RunOwnerReadiness(), snapshot(owner: false), false, "updraft scheduler"),
        (RunOwnerReadiness(), snapshot(owner: true), true, "live process"),
    ]

    @Test func eachRuleSaysWhy() {
        for (rule, snapshot, passes, words) in Self.cases {
            let check = rule.check(snapshot)
            #expect(check.passed == passes, "\(rule.name): \(check.reason)")
            #expect(check.reason.contains(words), "\(rule.name): '\(check.reason)' lacks '\(words)'")
            #expect(check.rule == rule.name)
        }
    }

    @Test func allRulesAreEvaluatedInOrder() {
        let checks = ReadinessRules.evaluate(Self.snapshot())
        #expect(
            checks.map(\.rule) == [
                "Task state", "Run state", "Trigger rule", "Retry period", "Pool slots",
                "DAG max active tasks", "Run owner",
            ])
        #expect(checks.allSatisfy { $0.passed })
    }
}
