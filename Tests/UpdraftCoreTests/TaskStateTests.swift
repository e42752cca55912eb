import Testing
import UpdraftCore

@Suite struct TaskStateTests {
    @Test func namesAreAirflows() {
        #expect(TaskState.upForRetry.rawValue == "up_for_retry")
        #expect(TaskState.upstreamFailed.rawValue == "upstream_failed")
        #expect(TaskState(rawValue: "removed") == .removed)
    }

    @Test func derivedSets() {
        let terminal = TaskState.allCases.filter(\.isTerminal)
        #expect(Set(terminal) == [.success, .failed, .upstreamFailed, .skipped, .removed])
        #expect(Set(TaskState.allCases.filter(\.isFailure)) == [.failed, .upstreamFailed])
        #expect(RunState.allCases.filter(\.isTerminal) == [.success, .failed])
    }
}
