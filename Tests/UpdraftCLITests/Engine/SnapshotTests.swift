import ArgumentParser
import Foundation
import MarketCLI
import Testing
import UpdraftRuntime
import UpdraftTesting

@testable import UpdraftCLI

/// Help output and the `runs show` view compared with stored snapshots
/// (set UPDRAFT_UPDATE_SNAPSHOTS=1 to rewrite them after a deliberate change).
@Suite struct SnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = Self.folder.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["UPDRAFT_UPDATE_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let stored = try String(contentsOf: url, encoding: .utf8)
        #expect(text == stored, "snapshot \(name) differs", sourceLocation: sourceLocation)
    }

    /// Every command of a tree, depth first, with its path of command names.
    static func walk(_ command: any ParsableCommand.Type, path: [String]) -> [([String], any ParsableCommand.Type)] {
        let name = command._commandName
        let here = path + [name]
        return [(here, command)] + command.configuration.subcommands.flatMap { walk($0, path: here) }
    }

    /// The help of every command of the `updraft` binary (the engine's groups and the market
    /// extension's), each in `help-updraft[-group[-command]].txt`; a command without a snapshot
    /// fails until one is recorded.
    @Test func helpOfEveryCommand() throws {
        let application = UpdraftApplication(extensions: [MarketExtension()], dags: { _ in [] })
        let commands = CLIEnvironment.$session.withValue(CLISession(application: application, environment: [:])) {
            Self.walk(UpdraftCommand.self, path: [])
        }
        #expect(commands.count > 40)
        var names: Set<String> = []
        for (path, command) in commands {
            let name = "help-" + path.joined(separator: "-")
            names.insert(name + ".txt")
            try assertSnapshot(application.helpMessage(for: command, columns: 100), named: name)
        }
        // No snapshot is left of a command that is gone.
        let stored = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasPrefix("help-updraft") }
        #expect(
            Set(stored).subtracting(names).subtracting(["help-updraft-example.txt"]).isEmpty,
            "snapshots of commands that are gone: \(Set(stored).subtracting(names).sorted())")
    }

    /// A binary with no extension (`updraft-example`) has the engine's groups only.
    @Test func helpOfABinaryWithoutExtensions() throws {
        let application = UpdraftApplication(name: "updraft-example", dags: { _ in [] })
        try assertSnapshot(application.helpMessage(for: UpdraftCommand.self, columns: 100), named: "help-updraft-example")
    }

    @Test func runsShowOfANestedFactoryRun() async throws {
        let dag = DAG("historical_demo") { d in
            let symbols = d.task("get_symbols") { _ in ["BTCUSDT", "ETHUSDT"] }
            let historical = d.factory("historical", from: symbols, as: [String].self) { symbols, g in
                for symbol in symbols {
                    g.group(symbol) { s in
                        let files = s.task("list_files") { _ in ["2024_01", "2024_02"] }
                        s.factory("files", from: files, as: [String].self) { names, f in
                            for name in names {
                                f.task("load_\(name)") { _ in
                                    if symbol == "ETHUSDT" && name == "2024_02" { throw TaskFailure("corrupt archive") }
                                }
                            }
                        }
                    }
                }
            }
            let report = d.task("report") { _ in }
            historical >> report
        }
        let clock = ManualClock(now: .utc(2024, 5, 1, 10))
        let harness = try await DAGTestHarness(dags: [dag], clock: clock)
        let result = try await harness.run("historical_demo")
        #expect(result.state == .failed)
        let instances = try await harness.store.taskInstances(run: result.run.key)
        let text = try RunShowText.render(
            run: result.run, instances: instances, group: nil, depth: 1, now: clock.now,
            color: .plain)
        try assertSnapshot(text, named: "runs-show-historical")
        let drilled = try RunShowText.render(
            run: result.run, instances: instances, group: "historical.ETHUSDT",
            depth: 2, now: clock.now, color: .plain)
        try assertSnapshot(drilled, named: "runs-show-historical-ethusdt")
    }
}
