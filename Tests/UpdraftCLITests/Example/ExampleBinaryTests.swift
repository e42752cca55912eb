import Foundation
import Testing

/// The built `updraft-example`: one DAG of its own, the whole engine CLI, its own worker processes.
@Suite struct ExampleBinaryTests {
    @Test func listsAndRunsItsDAGThroughWorkerProcesses() throws {
        let cli = try BinaryHarness(product: "updraft-example")
        defer { try? FileManager.default.removeItem(atPath: cli.home) }
        let help = try cli.run(["--help"])
        #expect(help.stdout.contains("dags") && help.stdout.contains("scheduler"))
        #expect(!help.stdout.contains("demo") && !help.stdout.contains("sandbox"), "\(help.stdout)")

        let list = try cli.run(["dags", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("example_etl"))

        let run = try cli.run(["dags", "trigger", "example_etl", "--wait", "--parallelism", "2", "--conf", #"{"n": 4}"#])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let shown = try cli.run(["runs", "list", "--json"])
        #expect(shown.stdout.contains("\"success\""), "\(shown.stdout)")
        let logs = try cli.run(["tasks", "logs", run.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "load"])
        #expect(logs.stdout.contains("loaded 4 rows, total 20"), "\(logs.stdout)\(logs.stderr)")
    }

    /// A worker gets the configuration the command line chose in its start-up frame, not from its
    /// environment: `--home` beats the `UPDRAFT_HOME` every process here inherits.
    @Test func workersGetTheCommandLinesConfigurationNotTheirEnvironment() throws {
        let cli = try BinaryHarness(product: "updraft-example")  // sets UPDRAFT_HOME to cli.home
        let chosen = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-flag-\(UUID().uuidString)").path
        defer {
            try? FileManager.default.removeItem(atPath: cli.home)
            try? FileManager.default.removeItem(atPath: chosen)
        }
        let run = try cli.run(["dags", "trigger", "example_etl", "--wait", "--home", chosen])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let logs = try cli.run([
            "tasks", "logs", run.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "load",
            "--home", chosen,
        ])
        #expect(logs.stdout.contains("home \(URL(fileURLWithPath: chosen).standardizedFileURL.path)"), "\(logs.stdout)")
        #expect(!FileManager.default.fileExists(atPath: cli.home + "/updraft.db"))
    }
}
