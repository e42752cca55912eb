/// When a task may run given the states of its direct upstream tasks (Airflow's full set).
public enum TriggerRule: String, Sendable, Codable, CaseIterable, Hashable {
    /// All upstream succeeded (the default). A failure makes it `upstream_failed`, a skip `skipped`.
    case allSuccess = "all_success"
    /// All upstream failed or are upstream_failed; any success or skip makes it `skipped`.
    case allFailed = "all_failed"
    /// All upstream finished, whatever their state.
    case allDone = "all_done"
    /// All upstream finished and at least one succeeded.
    case allDoneMinOneSuccess = "all_done_min_one_success"
    /// All upstream were skipped; any other outcome makes it `skipped`.
    case allSkipped = "all_skipped"
    /// At least one upstream succeeded (does not wait for the rest).
    case oneSuccess = "one_success"
    /// At least one upstream failed (does not wait for the rest).
    case oneFailed = "one_failed"
    /// At least one upstream succeeded or failed (does not wait for the rest).
    case oneDone = "one_done"
    /// No upstream failed (all succeeded or were skipped).
    case noneFailed = "none_failed"
    /// No upstream failed and at least one succeeded (use after a branch).
    case noneFailedMinOneSuccess = "none_failed_min_one_success"
    /// No upstream was skipped.
    case noneSkipped = "none_skipped"
    /// Runs as soon as the run starts, whatever the upstream do.
    case always

    /// What the rule decides for the given upstream counts.
    ///
    /// ```swift
    /// TriggerRule.allSuccess.evaluate(UpstreamCounts(total: 2, success: 1, failed: 1))  // .upstreamFailed
    /// ```
    public func evaluate(_ counts: UpstreamCounts) -> TriggerDecision {
        if counts.total == 0 || self == .always { return .run }
        let c = counts
        switch self {
        case .allSuccess:
            if c.failures > 0 { return .upstreamFailed }
            if c.skipped > 0 { return .skip }
            return c.success + c.removed >= c.total ? .run : .wait
        case .allFailed:
            if c.success > 0 || c.skipped > 0 { return .skip }
            return c.failures + c.removed >= c.total ? .run : .wait
        case .allDone:
            return c.allDone ? .run : .wait
        case .allDoneMinOneSuccess:
            guard c.allDone else { return .wait }
            if c.success > 0 { return .run }
            return c.failures > 0 ? .upstreamFailed : .skip
        case .allSkipped:
            if c.success > 0 || c.failures > 0 { return .skip }
            return c.skipped + c.removed >= c.total ? .run : .wait
        case .oneSuccess:
            if c.success > 0 { return .run }
            guard c.allDone else { return .wait }
            return c.failures > 0 ? .upstreamFailed : .skip
        case .oneFailed:
            if c.failures > 0 { return .run }
            return c.allDone ? .skip : .wait
        case .oneDone:
            if c.success + c.failed > 0 { return .run }
            return c.allDone ? .skip : .wait
        case .noneFailed:
            if c.failures > 0 { return .upstreamFailed }
            return c.allDone ? .run : .wait
        case .noneFailedMinOneSuccess:
            if c.failures > 0 { return .upstreamFailed }
            guard c.allDone else { return .wait }
            return c.success > 0 ? .run : .skip
        case .noneSkipped:
            if c.skipped > 0 { return .skip }
            return c.allDone ? .run : .wait
        case .always:
            return .run
        }
    }

    /// A sentence saying what the rule needs, for `tasks why`.
    public var requirement: String {
        switch self {
        case .allSuccess: "all upstream tasks succeeded"
        case .allFailed: "all upstream tasks failed"
        case .allDone: "all upstream tasks finished"
        case .allDoneMinOneSuccess: "all upstream tasks finished and at least one succeeded"
        case .allSkipped: "all upstream tasks were skipped"
        case .oneSuccess: "at least one upstream task succeeded"
        case .oneFailed: "at least one upstream task failed"
        case .oneDone: "at least one upstream task succeeded or failed"
        case .noneFailed: "no upstream task failed and all finished"
        case .noneFailedMinOneSuccess: "no upstream task failed, all finished, at least one succeeded"
        case .noneSkipped: "no upstream task was skipped and all finished"
        case .always: "nothing"
        }
    }
}

/// The outcome of evaluating a trigger rule.
public enum TriggerDecision: String, Sendable, Hashable, Codable {
    /// The task may be scheduled now.
    case run
    /// The task will never run: it becomes `skipped`.
    case skip
    /// The task will never run because of an upstream failure: it becomes `upstream_failed`.
    case upstreamFailed = "upstream_failed"
    /// Not decided yet: more upstream tasks must finish.
    case wait
}
