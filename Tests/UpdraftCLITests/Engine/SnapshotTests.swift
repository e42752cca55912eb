import ArgumentParser
import Foundation
import Testing
import MarketCLI
@testable import UpdraftCLI
import UpdraftRuntime
import UpdraftTesting

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

    static let commands: [(String, any ParsableCommand.Type)] = [
        ("help-updraft", UpdraftCommand.self), ("help-dags", DagsCommand.self), ("help-dags-trigger", DagsTrigger.self),
        ("help-runs", RunsCommand.self), ("help-runs-show", RunsShow.self), ("help-tasks", TasksCommand.self),
        ("help-tasks-clear", TasksClear.self), ("help-backfill", BackfillCommand.self),
        ("help-scheduler", SchedulerCommand.self), ("help-pools", PoolsCommand.self), ("help-db-clean", DBClean.self),
        ("help-assets", AssetsCommand.self), ("help-assets-list", AssetsList.self), ("help-runs-list", RunsList.self),
    ]

    @Test func helpOutput() async throws {
        for (name, command) in Self.commands {
            try assertSnapshot(UpdraftCommand.helpMessage(for: command, columns: 100), named: name)
        }
    }

    /// The `updraft` binary's root: the engine's groups, then the market extension's.
    @Test func helpOutputWithTheMarketExtension() throws {
        let application = UpdraftApplication(extensions: [MarketExtension()], dags: { _ in [] })
        try assertSnapshot(application.helpMessage(for: UpdraftCommand.self, columns: 100), named: "help-updraft-market")
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
        let text = try RunShowText.render(run: result.run, instances: instances, group: nil, depth: 1, now: clock.now,
                                          color: .plain)
        try assertSnapshot(text, named: "runs-show-historical")
        let drilled = try RunShowText.render(run: result.run, instances: instances, group: "historical.ETHUSDT",
                                             depth: 2, now: clock.now, color: .plain)
        try assertSnapshot(drilled, named: "runs-show-historical-ethusdt")
    }
}
