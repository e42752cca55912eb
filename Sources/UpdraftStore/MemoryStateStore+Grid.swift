import Foundation
import UpdraftCore

extension MemoryStateStore {
    public func gridCounts(dagId: String, runIds: [String], within group: String?, taskLimit: Int) async throws -> GridCounts {
        let wanted = Set(runIds)
        return contents.withLock { c in
            var grouped: [(runId: String, group: String, state: TaskState, count: Int)] = []
            var tasks: [GridCount] = []
            for (key, instances) in c.instances where key.dagId == dagId && wanted.contains(key.runId) {
                for instance in instances.values {
                    if instance.group == group {
                        tasks.append(GridCount(runId: key.runId, rowId: instance.taskId, isGroup: false, state: instance.state, count: 1))
                    } else if let taskGroup = instance.group {
                        grouped.append((key.runId, taskGroup, instance.state, 1))
                    }
                }
            }
            let ids = Set(tasks.map(\.rowId)).sorted()
            let kept = Set(ids.prefix(taskLimit))
            return GridCounts(
                counts: GridCounts.rolledUp(grouped, within: group) + tasks.filter { kept.contains($0.rowId) },
                moreTasks: ids.count > taskLimit)
        }
    }

    /// A digest of the runs, task instances and tries (this store lives in one process; the
    /// digest is exact without a counter in every mutation).
    public func changeStamp() async throws -> Int64 {
        contents.withLock { c in
            var hasher = Hasher()
            hasher.combine(c.runs.count)
            for run in c.runs.values.sorted(by: { $0.runId < $1.runId }) {
                hasher.combine(run.runId); hasher.combine(run.state); hasher.combine(run.endDate)
            }
            for key in c.instances.keys.sorted(by: { $0.runId < $1.runId }) {
                for instance in c.instances[key]!.values.sorted(by: { $0.taskId < $1.taskId }) {
                    hasher.combine(instance.taskId); hasher.combine(instance.state); hasher.combine(instance.tryNumber)
                }
            }
            hasher.combine(c.eventLog.count)
            hasher.combine(c.events.count)
            return Int64(hasher.finalize())
        }
    }
}
