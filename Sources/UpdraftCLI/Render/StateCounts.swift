import UpdraftCore

/// Task counts per state, in `TaskState.allCases` order.
struct StateCounts: Sendable, Hashable {
    private static let states = TaskState.allCases
    /// A distinct slot per state (a switch: no hashing on the hot path).
    private static func ordinal(_ state: TaskState) -> Int {
        switch state {
        case .none: 0
        case .scheduled: 1
        case .queued: 2
        case .running: 3
        case .success: 4
        case .failed: 5
        case .upForRetry: 6
        case .upstreamFailed: 7
        case .skipped: 8
        case .removed: 9
        case .interrupted: 10
        }
    }
    /// Inline lanes, one per ordinal (a tree of 100,000 tasks makes as many of these: no heap).
    private var counts = SIMD16<Int>()
    /// 1 in the lanes of states that can still change by themselves.
    private static let nonTerminal: SIMD16<Int> = {
        var mask = SIMD16<Int>()
        for state in states where !state.isTerminal { mask[ordinal(state)] = 1 }
        return mask
    }()

    var total: Int { counts.wrappedSum() }

    subscript(state: TaskState) -> Int { counts[Self.ordinal(state)] }

    mutating func add(_ state: TaskState) { counts[Self.ordinal(state)] += 1 }

    mutating func add(_ other: StateCounts) { counts &+= other.counts }

    /// The state a group of tasks shows: the most urgent one present.
    var rolledUp: TaskState {
        for state in [
            TaskState.failed, .upstreamFailed, .upForRetry, .running, .queued, .scheduled,
            .interrupted, .none, .success, .skipped, .removed,
        ] where self[state] > 0 {
            return state
        }
        return .none
    }

    /// True when no task can change state by itself any more.
    var allTerminal: Bool {
        (counts &* Self.nonTerminal) == SIMD16<Int>()
    }

    /// `12 tasks: 10 success, 1 failed, 1 upstream_failed`.
    func summary(_ color: ColorMode) -> String {
        let parts = Self.states.compactMap { state -> String? in
            let count = self[state]
            return count == 0 ? nil : color.paint("\(count) \(state.rawValue)", .of(state))
        }
        let noun = total == 1 ? "task" : "tasks"
        return parts.isEmpty ? "\(total) \(noun)" : "\(total) \(noun): " + parts.joined(separator: ", ")
    }
}
