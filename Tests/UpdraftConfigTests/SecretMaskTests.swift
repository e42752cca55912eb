import Testing

@testable import UpdraftConfig

@Suite("Secret masking")
struct SecretMaskTests {
    @Test(arguments: [
        (
            "coingecko:\n  api_key: CG-abc123secret\n  calls_per_minute: 5",
            ["coingecko:", "  api_key: ****", "  calls_per_minute: 5"]
        ),
        // Flow style, a JSON-style quoted key, a comment.
        ("coingecko: {calls_per_minute: 5, api_key: CG-abc123secret}", ["coingecko: {calls_per_minute: 5, api_key: ****"]),
        ("{\"api_key\":\"CG-abc123secret\"}", ["{\"api_key\": ****"]),
        ("# api_key: CG-abc123secret", ["# api_key: ****"]),
        // Lines that continue the value: more indented, or inside a quote it opened.
        ("  api_key: >\n    CG-abc123\n\n    secret\n  other: 1", ["  api_key: ****", "    ****", "", "    ****", "  other: 1"]),
        ("  api_key: \"CG-abc123\n secret\"\nother: 1", ["  api_key: ****", " ****", "other: 1"]),
        // Names that look secret though no catalog key has them; URLs and times are not keys.
        (
            "slack_webhook: https://hooks.example/T0/abc123\npassword: abc123\nDB_TOKEN: abc123",
            ["slack_webhook: ****", "password: ****", "DB_TOKEN: ****"]
        ),
        ("endpoint: https://key.example:443/path\nat: 10:30", ["endpoint: https://key.example:443/path", "at: 10:30"]),
    ])
    func masksSecretValues(text: String, expected: [String]) {
        #expect(SecretMask.maskedLines(of: text) == expected)
    }

    @Test func everyCatalogKeyThatLooksSecretIsMarkedSecret() {
        let unmarked = testCatalog.keys.filter { SecretMask.isSecret(name: $0.path) && !$0.isSecret }.map(\.path)
        // "demo" or "pro", and the path of the TLS key file: not secrets themselves.
        #expect(unmarked == ["api.tls_key", "coingecko.api_key_kind"])
        #expect(testCatalog.keys.filter(\.isSecret).allSatisfy { SecretMask.isSecret(name: $0.path) })
    }

    @Test func aBadValueOfASecretKeyIsNeverQuoted() {
        let webhook = ConfigKeySpec("notify.webhook", .url, default: .string(""), "Where alerts go.", secret: true)
        #expect(
            webhook.invalidValue("ftp://hooks.example/abc123", at: "updraft.yaml:3").description
                == "updraft.yaml:3: 'notify.webhook' must be an http(s) URL")
        let plain = ConfigKeySpec("endpoints.binance", .url, default: .string(""), "Binance.")
        #expect(
            plain.invalidValue("ftp://x", at: "env UPDRAFT_ENDPOINTS_BINANCE").description
                == "env UPDRAFT_ENDPOINTS_BINANCE: 'endpoints.binance' must be an http(s) URL, got 'ftp://x'")
    }
}
