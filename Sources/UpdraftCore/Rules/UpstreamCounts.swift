/// How many direct upstream tasks are in each finished state; the input of a trigger rule.
public struct UpstreamCounts: Sendable, Hashable {
    /// Number of direct upstream tasks.
    public var total: Int
    public var success: Int
    public var failed: Int
    public var upstreamFailed: Int
    public var skipped: Int
    public var removed: Int

    public init(
        total: Int, success: Int = 0, failed: Int = 0, upstreamFailed: Int = 0,
        skipped: Int = 0, removed: Int = 0
    ) {
        self.total = total; self.success = success; self.failed = failed
        self.upstreamFailed = upstreamFailed; self.skipped = skipped; self.removed = removed
    }

    /// Counts built from a list of upstream states (non-terminal states count only in `total`).
    public init(states: some Sequence<TaskState>) {
        self.init(total: 0)
        for state in states { total += 1; add(state) }
    }

    /// Upstream tasks that reached a terminal state.
    public var done: Int { success + failed + upstreamFailed + skipped + removed }
    /// `failed` plus `upstream_failed`.
    public var failures: Int { failed + upstreamFailed }
    /// All upstream tasks are finished.
    public var allDone: Bool { done >= total }

    /// Records one upstream task reaching `state` (non-terminal states are ignored).
    public mutating func add(_ state: TaskState) {
        switch state {
        case .success: success += 1
        case .failed: failed += 1
        case .upstreamFailed: upstreamFailed += 1
        case .skipped: skipped += 1
        case .removed: removed += 1
        default: break
        }
    }
}
