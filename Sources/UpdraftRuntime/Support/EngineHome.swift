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

    /// `logs/<dag>/<run>/<task>/try-<n>.log`.
    public func logPath(dagId: String, runId: String, taskId: String, tryNumber: Int) -> String {
        "\(logsRoot)/\(dagId)/\(runId)/\(taskId)/try-\(tryNumber).log"
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
