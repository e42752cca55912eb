import Foundation
import UpdraftCore

extension MemoryStateStore {
    public func gridCounts(runIds: [String], within group: String?) async throws -> [GridCount] {
        let wanted = Set(runIds)
        return contents.withLock { c in
            var counts: [GridCount: Int] = [:]
            for (key, instances) in c.instances where wanted.contains(key.runId) {
                for instance in instances.values {
                    guard let row = GridCount.row(taskId: instance.taskId, taskGroup: instance.group, within: group) else { continue }
                    counts[GridCount(runId: key.runId, rowId: row.id, isGroup: row.isGroup, state: instance.state, count: 0), default: 0] +=
                        1
                }
            }
            return counts.map { key, count in
                var entry = key
                entry.count = count
                return entry
            }
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
