import Foundation
import UpdraftCLI

/// The folder a demo runs in. By default `demo` under the default home (`$UPDRAFT_HOME/demo`,
/// else `./runs/demo`), emptied at the start of each demo so every run starts fresh and the
/// results stay there to explore afterwards (`updraft runs list --home runs/demo`).
///
/// A folder is only ever emptied when it holds the marker file a demo leaves, so a mistyped
/// `--home` never deletes anyone's data.
struct DemoHome: Sendable {
    /// Absolute path of the folder.
    let path: String

    static let marker = ".updraft-demo"

    /// `--home DIR`, else `demo` under `$UPDRAFT_HOME` (or `./runs`).
    init(_ requested: String?, environment: [String: String]) {
        let chosen = requested ?? ((environment["UPDRAFT_HOME"] ?? "runs") as NSString).appendingPathComponent("demo")
        let absolute = chosen.hasPrefix("/") ? chosen : FileManager.default.currentDirectoryPath + "/" + chosen
        path = (absolute as NSString).standardizingPath
    }

    /// Empties the folder (when it is a demo's or empty) and marks it as a demo's.
    func prepare() throws {
        let files = FileManager.default
        if let contents = try? files.contentsOfDirectory(atPath: path), !contents.isEmpty {
            guard contents.contains(Self.marker) else {
                throw CLIError.usage(
                    "\(path) is not empty and was not made by `updraft demo`; "
                        + "give an empty or new folder with --home")
            }
            for name in contents { try files.removeItem(atPath: (path as NSString).appendingPathComponent(name)) }
        }
        try files.createDirectory(atPath: path, withIntermediateDirectories: true)
        _ = files.createFile(
            atPath: (path as NSString).appendingPathComponent(Self.marker),
            contents: Data("made by `updraft demo`; emptied by the next demo run\n".utf8))
    }
}
