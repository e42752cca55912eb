import Foundation
import Testing
import UpdraftRuntime

@testable import UpdraftCLI

/// `--home` and `--config` before the subcommand, and `--version`.
@Suite struct LeadingOptionsTests {
    @Test func leadingHomeAndConfigAreTakenOffTheCommandLine() {
        let (options, rest) = LeadingOptions.split(["--home", "/h", "--config=/c.yaml", "dags", "list", "--home", "x"])
        #expect(options == LeadingOptions(home: "/h", config: "/c.yaml"))
        #expect(rest == ["dags", "list", "--home", "x"])
    }

    @Test func optionsAfterTheSubcommandAreLeftAlone() {
        let (options, rest) = LeadingOptions.split(["dags", "--home", "/h"])
        #expect(options == LeadingOptions())
        #expect(rest == ["dags", "--home", "/h"])
    }

    @Test func aFlagWithoutItsValueIsLeftForTheParser() {
        let (options, rest) = LeadingOptions.split(["--home"])
        #expect(options == LeadingOptions())
        #expect(rest == ["--home"])
    }

    @Test func theBinaryTakesTheHomeBeforeTheSubcommand() throws {
        let harness = try BinaryHarness()
        let elsewhere = harness.home + "/elsewhere"
        let trigger = try harness.run(["--home", elsewhere, "dags", "trigger", "bench_chain", "--conf", #"{"n": 2}"#, "--wait"])
        #expect(trigger.status == 0, "\(trigger.stderr)")
        #expect(FileManager.default.fileExists(atPath: elsewhere + "/updraft.db"))
        #expect(!FileManager.default.fileExists(atPath: harness.home + "/updraft.db"))
        let list = try harness.run(["--home=\(elsewhere)", "runs", "list", "--json"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("bench_chain"))
        let missing = try harness.run(["--home"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--home needs a value"))
    }

    @Test func versionNamesTheBinaryAndTheEngineVersion() throws {
        let updraft = try BinaryHarness().run(["--version"])
        #expect(updraft.status == 0)
        #expect(updraft.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "updraft \(EngineVersion.current)")
        let example = try BinaryHarness(product: "updraft-example").run(["--version"])
        #expect(example.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "updraft-example \(EngineVersion.current)")
    }
}
