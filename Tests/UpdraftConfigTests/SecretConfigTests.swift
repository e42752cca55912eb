import Foundation
import MarketPipeline
import Testing

@testable import UpdraftConfig

/// Secrets: from the environment, a `_file`, or a YAML file its owner alone can read; never shown.
@Suite("Secrets")
struct SecretConfigTests {
    static let secret = "CG-abc123secret"

    /// A fresh folder with `updraft.yaml` holding `yaml`, at `mode`.
    private func home(yaml: String? = nil, mode: Int = 0o600) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-secret-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if let yaml {
            try yaml.write(toFile: dir + "/updraft.yaml", atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: dir + "/updraft.yaml")
        }
        return dir
    }

    private func load(_ dir: String, environment: [String: String] = [:]) throws -> UpdraftConfiguration {
        try ConfigLoader.load(catalog: testCatalog, home: dir, configFile: nil, environment: environment)
    }

    @Test func fromTheEnvironment() throws {
        let config = try load(try home(), environment: ["UPDRAFT_COINGECKO_API_KEY": Self.secret])
        #expect(config[.coingeckoAPIKey].revealed == Self.secret)
        #expect(config.source(of: .coingeckoAPIKey) == .environment("UPDRAFT_COINGECKO_API_KEY"))
    }

    @Test func fromAFileNamedInTheYAMLOrTheEnvironmentWithoutItsTrailingNewline() throws {
        let dir = try home()
        try (Self.secret + "\n").write(toFile: dir + "/coingecko.key", atomically: true, encoding: .utf8)
        // A YAML naming the file may be readable by others: the secret is not in it.
        let yamlDir = try home(yaml: "coingecko:\n  api_key_file: \(dir)/coingecko.key\n", mode: 0o644)
        #expect(try load(yamlDir)[.coingeckoAPIKey].revealed == Self.secret)
        let fromEnvironment = try load(dir, environment: ["UPDRAFT_COINGECKO_API_KEY_FILE": dir + "/coingecko.key"])
        #expect(fromEnvironment[.coingeckoAPIKey].revealed == Self.secret)
    }

    @Test func aMissingSecretFileIsAnErrorNamingTheKeyAndFile() throws {
        let dir = try home(yaml: "coingecko:\n  api_key_file: /nonexistent/key\n", mode: 0o644)
        let error = #expect(throws: ConfigError.self) { try load(dir) }
        #expect(error?.description == dir + "/updraft.yaml:2: 'coingecko.api_key_file' names a file that cannot be read: /nonexistent/key")
    }

    @Test func inTheYAMLWhenOnlyItsOwnerCanReadIt() throws {
        let dir = try home(yaml: "coingecko:\n  api_key: \(Self.secret)\n", mode: 0o600)
        #expect(try load(dir)[.coingeckoAPIKey].revealed == Self.secret)
    }

    @Test(arguments: [0o640, 0o644, 0o604])
    func inAYAMLOthersCanReadItIsRefusedNamingTheFileAndKey(mode: Int) throws {
        let dir = try home(yaml: "coingecko:\n  api_key: \(Self.secret)\n", mode: mode)
        let error = #expect(throws: ConfigError.self) { try load(dir) }
        #expect(error?.location == dir + "/updraft.yaml:2")
        #expect(error?.key == "coingecko.api_key")
        #expect(error?.message.contains("can be read by others than its owner") == true)
        #expect(error?.description.contains("abc123") == false)
    }

    @Test func maskedInSettingsDescriptionsAndInterpolation() throws {
        let config = try load(try home(), environment: ["UPDRAFT_COINGECKO_API_KEY": Self.secret])
        let setting = try #require(config.settings.first { $0.key.path == "coingecko.api_key" })
        #expect(setting.displayValue == "****")
        let key = config[.coingeckoAPIKey]
        #expect("\(key)" == "****")
        #expect(String(reflecting: key) == "****")
        #expect(!config.settings.map(\.displayValue).joined().contains("abc123"))
    }

    @Test func aBadValueOfASecretIsReportedWithoutIt() throws {
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(
                catalog: testCatalog.adding([
                    ConfigKeySpec("notify.webhook", .url, default: .string(""), "Where alerts go.", secret: true)
                ]), home: try home(), configFile: nil, environment: ["UPDRAFT_NOTIFY_WEBHOOK": "ftp://hooks.example/abc123"])
        }
        #expect(error?.description == "env UPDRAFT_NOTIFY_WEBHOOK: 'notify.webhook' must be an http(s) URL")
    }
}

/// Typed keys: a key the catalog lacks reads as its default; the configuration survives the trip
/// to a worker.
@Suite("Typed configuration keys")
struct TypedConfigKeyTests {
    @Test func aKeyOutsideTheCatalogReadsAsItsDefaultInsteadOfTrapping() {
        let engineOnly = UpdraftConfiguration.defaults(.engine)
        #expect(engineOnly[.universeCoins] == 20)
        #expect(engineOnly[.coingeckoEndpoint] == URL(string: "https://api.coingecko.com/api/v3")!)
    }

    @Test func theStartUpFrameCarriesEveryValueAndSource() throws {
        let config = try ConfigLoader.load(
            catalog: testCatalog, home: "/srv/updraft", configFile: nil,
            environment: [
                "UPDRAFT_UNIVERSE_COINS": "7",
                "UPDRAFT_COINGECKO_API_KEY": "CG-k",
            ])
        let decoded = try UpdraftConfiguration.decode(try config.encoded(), catalog: testCatalog)
        #expect(decoded[.universeCoins] == 7)
        #expect(decoded[.home] == "/srv/updraft")
        #expect(decoded[.coingeckoAPIKey].revealed == "CG-k")
        #expect(decoded.settings == config.settings)
    }
}
