import Foundation
import UpdraftConfig

/// The API server's configuration keys (`api.*`).
public enum APIConfig {
    public static let keys: [ConfigKeySpec] = [
        ConfigKey<String>.apiHost.spec, ConfigKey<Int>.apiPort.spec, ConfigKey<Int>.apiMaximumPageLimit.spec,
        ConfigKey<Int>.apiJWTExpirationTime.spec, ConfigKey<Int>.apiBcryptCost.spec, ConfigKey<String>.apiTLSCertificate.spec,
        ConfigKey<String>.apiTLSKey.spec, ConfigKey<Bool>.apiBehindTLSProxy.spec,
    ]

    /// The server options of `configuration`, with `--host`/`--port` (when given) winning.
    public static func options(
        _ configuration: UpdraftConfiguration, host: String? = nil, port: Int? = nil,
        tlsCertificate: String? = nil, tlsKey: String? = nil
    ) -> APIServerOptions {
        let certificate = tlsCertificate ?? configuration[.apiTLSCertificate]
        let key = tlsKey ?? configuration[.apiTLSKey]
        return APIServerOptions(
            host: host ?? configuration[.apiHost], port: port ?? configuration[.apiPort],
            tlsCertificate: certificate.isEmpty ? nil : certificate, tlsKey: key.isEmpty ? nil : key,
            maximumPageLimit: configuration[.apiMaximumPageLimit], tokenLifetime: TimeInterval(configuration[.apiJWTExpirationTime]),
            passwordHashCost: UInt8(min(31, configuration[.apiBcryptCost])))
    }
}

extension ConfigKey where Value == String {
    /// `api.host`: the address the API server binds (loopback unless told otherwise).
    public static var apiHost: ConfigKey<String> {
        ConfigKey("api.host", .string, default: "127.0.0.1", "Address the API server listens on; another than loopback only when asked.")
    }
    /// `api.tls_cert`: PEM certificate chain for HTTPS (with `api.tls_key`).
    public static var apiTLSCertificate: ConfigKey<String> {
        ConfigKey(
            "api.tls_cert", .string, default: "", "PEM certificate chain: the API server speaks HTTPS when this and api.tls_key are set.")
    }
    /// `api.tls_key`: PEM private key for HTTPS.
    public static var apiTLSKey: ConfigKey<String> {
        ConfigKey("api.tls_key", .string, default: "", "PEM private key of api.tls_cert.")
    }
}

extension ConfigKey where Value == Int {
    /// `api.port`.
    public static var apiPort: ConfigKey<Int> {
        ConfigKey("api.port", .integer(minimum: 0), default: 8080, "Port of the API server (0: any free port, printed at start).")
    }
    /// `api.maximum_page_limit`: the largest `limit` a list answers (Airflow's default: 100).
    public static var apiMaximumPageLimit: ConfigKey<Int> {
        ConfigKey(
            "api.maximum_page_limit", .integer(minimum: 1), default: 100, "Largest page a list route answers; a larger limit is clamped.")
    }
    /// `api.jwt_expiration_time`: seconds a token from POST /auth/token stays valid.
    public static var apiJWTExpirationTime: ConfigKey<Int> {
        ConfigKey("api.jwt_expiration_time", .integer(minimum: 60), default: 86_400, "Seconds a token from POST /auth/token stays valid.")
    }
    /// `api.bcrypt_cost`: bcrypt's cost for new passwords.
    public static var apiBcryptCost: ConfigKey<Int> {
        ConfigKey(
            "api.bcrypt_cost", .integer(minimum: 4), default: 12, "bcrypt cost (log2 of its rounds) of new passwords, 4 to 31.")
    }
}

extension ConfigKey where Value == Bool {
    /// `api.behind_tls_proxy`: a TLS terminator is in front (no warning on a non-loopback address).
    public static var apiBehindTLSProxy: ConfigKey<Bool> {
        ConfigKey(
            "api.behind_tls_proxy", .boolean, default: false,
            "A TLS-terminating proxy is in front of the server: binding a non-loopback address without TLS then draws no warning.")
    }
}
