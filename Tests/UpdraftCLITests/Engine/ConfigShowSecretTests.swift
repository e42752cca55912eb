import Foundation
import Testing

/// `config show` never prints a secret's value, in text or JSON; a refused YAML secret's error
/// names the file and key without the value.
@Suite struct ConfigShowSecretTests {
    static let secret = "CG-abc123secret"

    @Test func configShowMasksASecretFromTheEnvironment() throws {
        let cli = try BinaryHarness()
        defer { try? FileManager.default.removeItem(atPath: cli.home) }
        for arguments in [["config", "show"], ["config", "show", "--json"]] {
            let shown = try cli.run(arguments, environment: ["UPDRAFT_COINGECKO_API_KEY": Self.secret])
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(shown.stdout.contains("coingecko.api_key") && shown.stdout.contains("****"), "\(shown.stdout)")
            #expect(!(shown.stdout + shown.stderr).contains("abc123"))
        }
    }

    @Test func aSecretInAFileOthersCanReadIsRefusedWithoutQuotingIt() throws {
        let cli = try BinaryHarness()
        defer { try? FileManager.default.removeItem(atPath: cli.home) }
        let file = cli.home + "/shared.yaml"
        try "coingecko:\n  api_key: \(Self.secret)\n".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        let shown = try cli.run(["config", "show", "--config", file])
        #expect(shown.status == 2)
        #expect(shown.stderr.contains("\(file):2: 'coingecko.api_key' is a secret"), "\(shown.stderr)")
        #expect(!(shown.stdout + shown.stderr).contains("abc123"))
    }
}
