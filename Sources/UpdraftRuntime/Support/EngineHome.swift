import Foundation

/// Where an engine keeps its state: `<root>/updraft.db` and `<root>/logs/…`.
public struct EngineHome: Sendable, Hashable {
    public var root: String

    /// `--home`, else `UPDRAFT_HOME`, else `./runs`.
    public init(_ root: String? = nil) {
        let chosen = root ?? ProcessInfo.processInfo.environment["UPDRAFT_HOME"] ?? "runs"
        self.root = chosen.hasPrefix("/") ? chosen : FileManager.default.currentDirectoryPath + "/" + chosen
    }

    public var databasePath: String { root + "/updraft.db" }
    public var logsRoot: String { root + "/logs" }

    /// `logs/<dag>/<run>/<task>/try-<n>.log`.
    public func logPath(dagId: String, runId: String, taskId: String, tryNumber: Int) -> String {
        "\(logsRoot)/\(dagId)/\(runId)/\(taskId)/try-\(tryNumber).log"
    }

    /// The folder holding every log of a run.
    public func runLogFolder(dagId: String, runId: String) -> String { "\(logsRoot)/\(dagId)/\(runId)" }
}
