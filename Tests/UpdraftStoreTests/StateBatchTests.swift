import Testing
import UpdraftCore
import UpdraftStore

/// A batch keeps the last write of each task, in the order of those last writes.
struct StateBatchTests {
    static func instance(_ run: String, _ task: String, _ state: TaskState) -> TaskInstance {
        TaskInstance(runId: run, dagId: "d", taskId: task, state: state)
    }

    @Test func theLastWriteOfEachTaskIsKept() {
        var one = StateBatch()
        one.instances = [
            Self.instance("r1", "a", .none), Self.instance("r1", "b", .none), Self.instance("r1", "a", .scheduled),
            Self.instance("r1", "c", .none), Self.instance("r1", "a", .running),
        ]
        #expect(one.latestInstances.map { "\($0.taskId) \($0.state.rawValue)" } == ["b none", "c none", "a running"])

        // Two runs with the same task ids (a backfill's batch): the run is part of the key.
        var two = StateBatch()
        two.instances = [
            Self.instance("r1", "a", .none), Self.instance("r2", "a", .none), Self.instance("r1", "a", .success),
        ]
        #expect(two.latestInstances.map { "\($0.runId) \($0.state.rawValue)" } == ["r2 none", "r1 success"])
        #expect(StateBatch().latestInstances.isEmpty)
    }
}
