import Foundation
import MarketPipeline
import Testing
import UpdraftAPI
import UpdraftNotify

@testable import UpdraftConfig

/// The catalog these tests load with: the engine's keys, the API server's and the market pipeline's.
let testCatalog = ConfigCatalog.engine.adding(APIConfig.keys).adding(NotifyConfig.keys).adding(MarketConfig.keys)

@Suite("Configuration loading")
struct ConfigLoaderTests {
    /// A fresh temporary home folder, optionally holding an updraft.yaml.
    private func home(with yaml: String? = nil) throws -> String {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("updraft-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if let yaml { try yaml.write(toFile: dir + "/updraft.yaml", atomically: true, encoding: .utf8) }
        return dir
    }

    @Test func defaultsApplyWithoutAFile() throws {
        let config = try ConfigLoader.load(catalog: testCatalog, home: try home(), configFile: nil, environment: [:])
        #expect(config.file == nil)
        #expect(config[.universeCoins] == 20)
        #expect(config[.binanceEndpoint].absoluteString == "https://api.binance.com")
        #expect(config.source(of: .universeCoins) == .defaultValue)
        #expect(config.source(of: .home) == .override("--home"))
    }

    @Test func fileValuesCarryTheirLine() throws {
        let dir = try home(
            with: """
                # comment
                universe:
                  coins: 7
                  extra_symbols: [BTCUSDT, ETHUSDT]
                data:
                  forward_fill: yes
                """)
        let config = try ConfigLoader.load(catalog: testCatalog, home: dir, configFile: nil, environment: [:])
        #expect(config[.universeCoins] == 7)
        #expect(config[.universeExtraSymbols] == ["BTCUSDT", "ETHUSDT"])
        #expect(config[.dataForwardFill])
        #expect(config.source(of: .universeCoins) == .file(path: dir + "/updraft.yaml", line: 3))
        #expect(config.source(of: .dataForwardFill) == .file(path: dir + "/updraft.yaml", line: 6))
    }

    /// The text entry point (the config fuzz target's) reads as the file would, without a file.
    @Test func textParsesAsTheFileWould() throws {
        let yaml = "universe:\n  coins: 7\ncoingecko:\n  api_key: CG-secret\n"
        let config = try ConfigLoader.parse(yaml: yaml, file: "updraft.yaml", catalog: testCatalog, ownerOnly: true)
        #expect(config.file == "updraft.yaml")
        #expect(config[.universeCoins] == 7)
        #expect(config.source(of: .universeCoins) == .file(path: "updraft.yaml", line: 2))
        #expect(config.source(of: .home) == .defaultValue)
        let shared = #expect(throws: ConfigError.self) {
            try ConfigLoader.parse(yaml: yaml, file: "updraft.yaml", catalog: testCatalog, ownerOnly: false)
        }
        #expect(shared?.location == "updraft.yaml:4")
        #expect(shared?.key == "coingecko.api_key")
    }

    @Test func environmentBeatsFileAndFlagBeatsEnvironment() throws {
        let dir = try home(with: "universe:\n  coins: 7\n")
        let config = try ConfigLoader.load(
            catalog: testCatalog, home: dir, configFile: nil,
            environment: [
                "UPDRAFT_UNIVERSE_COINS": "9", "UPDRAFT_HOME": "/elsewhere",
                "UPDRAFT_UNIVERSE_EXTRA_SYMBOLS": "SOLUSDT, ADAUSDT",
            ])
        #expect(config[.universeCoins] == 9)
        #expect(config.source(of: .universeCoins) == .environment("UPDRAFT_UNIVERSE_COINS"))
        #expect(config[.universeExtraSymbols] == ["SOLUSDT", "ADAUSDT"])
        #expect(config[.home] == dir)
    }

    @Test func homeFromEnvironmentLocatesTheFile() throws {
        let dir = try home(with: "parallelism: 3\n")
        let config = try ConfigLoader.load(catalog: testCatalog, home: nil, configFile: nil, environment: ["UPDRAFT_HOME": dir])
        #expect(config[.parallelism] == 3)
        #expect(config.file == dir + "/updraft.yaml")
    }

    @Test(arguments: [
        ("universe:\n  coinz: 7\n", "updraft.yaml:2: 'universe.coinz' is not a configuration key (did you mean 'universe.coins'?)"),
        ("universe:\n  coins: ten\n", "updraft.yaml:2: 'universe.coins' must be an integer ≥ 1, got 'ten'"),
        ("parallelism: 0\n", "updraft.yaml:1: 'parallelism' must be an integer ≥ 1, got '0'"),
        ("\n\nendpoints:\n  binance: ftp://x\n", "updraft.yaml:4: 'endpoints.binance' must be an http(s) URL, got 'ftp://x'"),
        (
            "schedules:\n  incremental: every 5 minutes\n",
            "updraft.yaml:2: 'schedules.incremental' must be a cron expression, a preset like @daily, or none, got 'every 5 minutes'"
        ),
        ("state:\n  durability: paranoid\n", "updraft.yaml:2: 'state.durability' must be one of normal, full, got 'paranoid'"),
        ("data:\n  intervals:\n    - [1m]\n", "updraft.yaml:2: 'data.intervals' must be a list of strings"),
        (
            "universe:\n  exchanges: [binance, bitfinex]\n",
            "updraft.yaml:2: 'universe.exchanges' \"bitfinex\" is not one of binance, kraken, kucoin, poloniex"
        ),
        (
            "universe:\n  exchanges: binance, ftx\n",
            "updraft.yaml:2: 'universe.exchanges' must be a list of binance, kraken, kucoin, poloniex, got 'binance, ftx'"
        ),
    ])
    func badKeysAndValuesNameKeyAndLine(yaml: String, expected: String) throws {
        let dir = try home(with: yaml)
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(catalog: testCatalog, home: dir, configFile: nil, environment: [:])
        }
        #expect(error?.description == dir + "/" + expected)
    }

    @Test func badEnvironmentValueNamesTheVariable() throws {
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(
                catalog: testCatalog, home: try home(), configFile: nil, environment: ["UPDRAFT_DATA_FORWARD_FILL": "maybe"])
        }
        #expect(error?.description == "env UPDRAFT_DATA_FORWARD_FILL: 'data.forward_fill' must be true or false, got 'maybe'")
    }

    @Test func configFileFromEnvironment() throws {
        let dir = try home(with: "universe:\n  coins: 3\n")
        let config = try ConfigLoader.load(
            catalog: testCatalog, home: "/unused", configFile: nil,
            environment: ["UPDRAFT_CONFIG": dir + "/updraft.yaml"])
        #expect(config[.universeCoins] == 3)
        #expect(config[.home] == "/unused")
    }

    @Test func missingExplicitFileIsAnError() throws {
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(catalog: testCatalog, home: nil, configFile: "/nonexistent/updraft.yaml", environment: [:])
        }
        #expect(error?.description == "/nonexistent/updraft.yaml: no such configuration file")
    }

    @Test func malformedYAMLIsAnErrorNamingTheFile() throws {
        let dir = try home(with: "universe: [unclosed\n")
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(catalog: testCatalog, home: dir, configFile: nil, environment: [:])
        }
        #expect(error?.location == dir + "/updraft.yaml:1")
        #expect(
            error?.message == """
                is not valid YAML, column 11: did not find expected ',' or ']' while parsing a flow sequence
                  universe: [unclosed
                            ^
                """)
    }

    @Test func syntaxErrorShowsItsLineWithTheSecretMasked() throws {
        for (yaml, expected) in [
            (
                "coingecko:\n  api_key: \"CG-abc123secret\n",
                """
                2: is not valid YAML, column 12: found unexpected end of stream while scanning a quoted scalar
                    api_key: ****
                             ^
                """
            ),
            (
                "coingecko:\n  api_key: CG-abc123secret: x\n",
                """
                2: is not valid YAML, column 27: mapping values are not allowed in this context
                    api_key: ****
                             ^
                """
            ),
            (
                "vault:\n  token: \"CG-abc123secret\" trailing\n",
                """
                2: is not valid YAML, column 28: did not find expected key while parsing a block mapping that starts at column 3
                    token: ****
                           ^
                """
            ),
            (
                "universe:\n  coins: 5\n  coins: 6\ncoingecko:\n  api_key: CG-abc123secret\n",
                """
                2: is not valid YAML, column 3: key 'coins' appears twice in one mapping
                    coins: 5
                    ^
                """
            ),
        ] {
            let dir = try home(with: yaml)
            let error = #expect(throws: ConfigError.self) {
                try ConfigLoader.load(catalog: testCatalog, home: dir, configFile: nil, environment: [:])
            }
            #expect(error?.description == dir + "/updraft.yaml:" + expected)
        }
    }

    @Test(arguments: [
        // (YAML, line the error names): the secret is on the line the parser stops at, or
        // the line before, or (duplicate keys) anywhere in the file.
        ("coingecko:\n  api_key: \"CG-abc123secret\n", 2),  // unterminated quote
        ("coingecko:\n  api_key: \"CG-abc123secret\n  calls_per_minute: 5\n", 2),
        ("coingecko:\n  api_key: CG-abc123secret\n   calls_per_minute: 5\n", 3),  // bad indent after it
        ("coingecko:\n  api_key: CG-abc123secret: x\n", 2),  // a second ':'
        ("coingecko:\n\tapi_key: CG-abc123secret\n", 2),  // a tab
        ("coingecko: {api_key: CG-abc123secret, calls_per_minute: [}\n", 1),  // flow style
        ("coingecko:\n  api_key: >\n    CG-abc123secret\n   x: [\n", 4),  // block scalar
        ("universe:\n  coins: 5\n  coins: 6\ncoingecko:\n  api_key: CG-abc123secret\n", 2),  // duplicate key
        ("notify:\n  slack_webhook: https://hooks.example/T0/CG-abc123secret: x\n", 2),  // not a catalog key
        ("db:\n  password: CG-abc123secret: x\n", 2),
        ("vault:\n  token: \"CG-abc123secret\" trailing\n", 2),
        // Windows line endings: the same lines (fuzzing found the whole file taken for line 1).
        ("universe:\r\n  coins: 5\r\ncoingecko:\r\n  api_key: CG-abc123secret\r\n   calls_per_minute: 5\r\n", 5),
        ("coingecko:\r\n  api_key: CG-abc123secret: x\r\n", 2),
    ])
    func yamlSyntaxErrorNamesTheLineButNeverEchoesASecret(yaml: String, line: Int) throws {
        let dir = try home(with: yaml)
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(catalog: testCatalog, home: dir, configFile: nil, environment: [:])
        }
        #expect(error?.location == dir + "/updraft.yaml:\(line)")
        #expect(error?.message.hasPrefix("is not valid YAML") == true)
        #expect(error?.description.contains("abc123") == false, "\(error?.description ?? "")")
    }

    @Test func wrongTypeForASecretKeyNeverEchoesIt() throws {
        for yaml in ["coingecko:\n  api_key: [CG-abc123secret]\n", "coingecko:\n  api_key:\n    CG-abc123secret: 1\n"] {
            let dir = try home(with: yaml)
            let error = #expect(throws: ConfigError.self) {
                try ConfigLoader.load(catalog: testCatalog, home: dir, configFile: nil, environment: [:])
            }
            #expect(error?.description == dir + "/updraft.yaml:2: 'coingecko.api_key' must be a string")
        }
    }

    @Test func secretsAreMaskedAndOverridesAreValidated() throws {
        let config = try ConfigLoader.load(
            catalog: testCatalog, home: try home(), configFile: nil,
            environment: ["UPDRAFT_COINGECKO_API_KEY": "CG-secret"])
        let key = try #require(config.settings.first { $0.key.path == "coingecko.api_key" })
        #expect(key.displayValue == "****")
        #expect(config[.coingeckoAPIKey].revealed == "CG-secret")
        let demo = try config.overriding(["endpoints.binance": "http://127.0.0.1:9000/"], origin: "demo")
        #expect(demo[.binanceEndpoint].absoluteString == "http://127.0.0.1:9000")
        #expect(demo.source(of: .binanceEndpoint) == .override("demo"))
        #expect(throws: ConfigError.self) { try config.overriding(["universe.coins": "-1"], origin: "demo") }
    }
}

@Suite("Example configuration")
struct ConfigExampleTests {
    private var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test func docsExampleIsTheGeneratedOne() throws {
        let file = repositoryRoot.appendingPathComponent("docs/updraft.example.yaml")
        if ProcessInfo.processInfo.environment["UPDRAFT_UPDATE_SNAPSHOTS"] == "1" {
            try testCatalog.exampleYAML().write(to: file, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: file, encoding: .utf8)
        #expect(
            committed == testCatalog.exampleYAML(), "regenerate with: UPDRAFT_UPDATE_SNAPSHOTS=1 swift test --filter ConfigExampleTests")
    }

    @Test func exampleParsesAsIsAndWithEveryKeyUncommented() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-example-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let example = testCatalog.exampleYAML()
        try example.write(toFile: dir + "/updraft.yaml", atomically: true, encoding: .utf8)
        let asIs = try ConfigLoader.load(catalog: testCatalog, home: dir, configFile: nil, environment: [:])
        #expect(asIs.settings.allSatisfy { $0.source == .defaultValue || $0.key.path == "home" })

        // Uncomment every key line (those whose text after "# " is `word: value`).
        let uncommented = example.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let trimmed = line.drop { $0 == " " }
            let indent = String(line.prefix(line.count - trimmed.count))
            guard trimmed.hasPrefix("# "), !trimmed.contains("(UPDRAFT_"),
                let colon = trimmed.firstIndex(of: ":"),
                trimmed[trimmed.index(trimmed.startIndex, offsetBy: 2)..<colon].allSatisfy({ $0.isLetter || $0 == "_" })
            else { return String(line) }
            return indent + trimmed.dropFirst(2)
        }.joined(separator: "\n").replacingOccurrences(of: "<core count>", with: "4")
        try uncommented.write(toFile: dir + "/updraft.yaml", atomically: true, encoding: .utf8)
        let full = try ConfigLoader.load(catalog: testCatalog, home: dir, configFile: nil, environment: [:])
        for setting in full.settings where setting.key.path != "home" {
            guard case .file = setting.source else {
                Issue.record("\(setting.key.path) is not set by the uncommented example"); continue
            }
            if setting.key.path != "parallelism" { #expect(setting.value == setting.key.defaultValue, "\(setting.key.path)") }
        }
    }
}
