import Foundation

/// Where an engine keeps its state: `<root>/updraft.db` and `<root>/logs/…`.
public struct EngineHome: Sendable, Hashable {
    public var root: String

    /// The home at `root` (relative to the working directory unless absolute). Where the root
    /// comes from (`--home`, `UPDRAFT_HOME`, the file) is the configuration's business.
    public init(_ root: String) {
        self.root = root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root
    }

    public var databasePath: String { root + "/updraft.db" }
    /// A marker kept beside the state database once it holds state, so that a database that
    /// went missing or was truncated to nothing is noticed instead of silently starting anew.
    public var stateMarkerPath: String { root + "/.updraft-state-in-use" }
    public var logsRoot: String { root + "/logs" }

    /// `logs/<dag>/<run>/<task>.try-<n>.log`: where a try writes its log. One folder per run, not
    /// one per task as well: creating a folder for each of 10,000 tasks cost a tenth of a
    /// fan-out's CPU.
    public func logPath(dagId: String, runId: String, taskId: String, tryNumber: Int) -> String {
        "\(logsRoot)/\(dagId)/\(runId)/\(taskId).try-\(tryNumber).log"
    }

    /// Where a try's log is read: ``logPath(dagId:runId:taskId:tryNumber:)``, or the per-task
    /// folder that versions before 2026-12 wrote (`<task>/try-<n>.log`) when only that exists.
    public func existingLogPath(dagId: String, runId: String, taskId: String, tryNumber: Int) -> String {
        let current = logPath(dagId: dagId, runId: runId, taskId: taskId, tryNumber: tryNumber)
        if FileManager.default.fileExists(atPath: current) { return current }
        let earlier = "\(logsRoot)/\(dagId)/\(runId)/\(taskId)/try-\(tryNumber).log"
        return FileManager.default.fileExists(atPath: earlier) ? earlier : current
    }

    /// The folder holding every log of a run.
    public func runLogFolder(dagId: String, runId: String) -> String { "\(logsRoot)/\(dagId)/\(runId)" }

    /// Throws `stateDatabaseLost` when the marker says the state database held state but the
    /// file is now missing or empty.
    public func checkStateDatabase() throws {
        guard let marker = FileManager.default.contents(atPath: stateMarkerPath) else { return }
        // No attributes means no file: reported below as a missing database.
        let size = (try? FileManager.default.attributesOfItem(atPath: databasePath)[.size] as? Int) ?? nil
        guard size ?? 0 == 0 else { return }
        let since = String(decoding: marker, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        throw RuntimeError.stateDatabaseLost(
            database: databasePath, missing: size == nil, marker: stateMarkerPath,
            since: since)
    }

    /// Writes the marker once the state database exists (kept as it is when present).
    public func markStateDatabaseInUse(now: Date) throws {
        guard !FileManager.default.fileExists(atPath: stateMarkerPath) else { return }
        let text =
            "since \(RunIdentifier.timestamp(now))\n"
            + "updraft.db in this folder holds Updraft's run history. If it goes missing or is emptied, Updraft\n"
            + "refuses to start rather than begin a new history; delete this file to start over on purpose.\n"
        guard FileManager.default.createFile(atPath: stateMarkerPath, contents: Data(text.utf8)) else {
            throw RuntimeError.badRequest("cannot write \(stateMarkerPath): \(String(cString: strerror(errno)))")
        }
    }
}
