import Foundation
import UpdraftCore

extension EngineHome {
    /// `logs/<dag>/<run>/run.log`: what went wrong around a run outside its tasks' tries
    /// (callbacks, lease heartbeats, a lease that could not be released); `runs show` prints it.
    public func runLogPath(dagId: String, runId: String) -> String {
        runLogFolder(dagId: dagId, runId: runId) + "/run.log"
    }

    /// Appends an `ERROR` line to the run's log.
    public func appendRunLog(dagId: String, runId: String, _ line: String, now: Date) {
        LogFile.append("[\(TaskLog.timestamp(now))] ERROR - \(line)\n", to: runLogPath(dagId: dagId, runId: runId))
    }

    /// The lines of the run's log (empty when nothing went wrong).
    public func runLogLines(dagId: String, runId: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: runLogPath(dagId: dagId, runId: runId)) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
