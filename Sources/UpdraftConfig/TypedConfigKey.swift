import Foundation

/// A typed configuration key: `config[.coingeckoEndpoint]` is a `URL`, and a misspelt key does
/// not compile. Modules declare their keys as static members and list them in their catalog:
///
/// ```swift
/// extension ConfigKey where Value == URL {
///     static var coingeckoEndpoint: ConfigKey<URL> {
///         ConfigKey("endpoints.coingecko", .url, default: URL(string: "https://api.coingecko.com/api/v3")!,
///                   "CoinGecko API base URL.")
///     }
/// }
/// let url = configuration[.coingeckoEndpoint]
/// ```
public struct ConfigKey<Value: ConfigValueConvertible>: Sendable {
    /// The untyped key the catalog holds.
    public let spec: ConfigKeySpec

    /// A key at dotted `path` of `kind`, with its default and a one-line summary; `secret` marks a
    /// key of another kind secret (a webhook URL with a token).
    public init(
        _ path: String, _ kind: ConfigKind, default defaultValue: Value, _ summary: String,
        secret: Bool = false
    ) {
        spec = ConfigKeySpec(path, kind, default: defaultValue.configValue, summary, secret: secret)
    }

    /// The dotted path, e.g. `endpoints.coingecko`.
    public var path: String { spec.path }
}

/// A Swift type a configuration value converts to.
public protocol ConfigValueConvertible: Sendable {
    /// The value from its parsed form; nil when the kinds do not match.
    init?(configValue: ConfigValue)
    /// The parsed form (for defaults).
    var configValue: ConfigValue { get }
}

extension String: ConfigValueConvertible {
    public init?(configValue: ConfigValue) {
        guard case .string(let text) = configValue else { return nil }
        self = text
    }
    public var configValue: ConfigValue { .string(self) }
}

extension Int: ConfigValueConvertible {
    public init?(configValue: ConfigValue) {
        guard case .integer(let value) = configValue else { return nil }
        self = value
    }
    public var configValue: ConfigValue { .integer(self) }
}

extension Double: ConfigValueConvertible {
    public init?(configValue: ConfigValue) {
        switch configValue {
        case .number(let value): self = value
        case .integer(let value): self = Double(value)
        default: return nil
        }
    }
    public var configValue: ConfigValue { .number(self) }
}

extension Bool: ConfigValueConvertible {
    public init?(configValue: ConfigValue) {
        guard case .boolean(let value) = configValue else { return nil }
        self = value
    }
    public var configValue: ConfigValue { .boolean(self) }
}

extension Array: ConfigValueConvertible where Element == String {
    public init?(configValue: ConfigValue) {
        guard case .list(let items) = configValue else { return nil }
        self = items
    }
    public var configValue: ConfigValue { .list(self) }
}

extension URL: ConfigValueConvertible {
    public init?(configValue: ConfigValue) {
        guard case .string(let text) = configValue, let url = URL(string: text) else { return nil }
        self = url
    }
    public var configValue: ConfigValue { .string(absoluteString) }
}
