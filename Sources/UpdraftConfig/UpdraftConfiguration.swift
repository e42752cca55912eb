import Foundation

/// One effective setting: its key, value and where the value came from.
public struct ResolvedSetting: Sendable, Hashable {
    public let key: ConfigKeySpec
    public let value: ConfigValue
    public let source: ConfigSource

    /// The value as printed: secrets that are set show as `****`.
    public var displayValue: String {
        if key.isSecret, case .string(let text) = value, !text.isEmpty { return SecretMask.mask }
        return value.description
    }
}

/// The effective configuration: every key of its ``ConfigCatalog`` with a value and its source.
/// A value passed down (to commands, the scheduler, every worker in its start-up frame), never
/// looked up in the environment by the code that uses it.
///
/// ```swift
/// let url = configuration[.coingeckoEndpoint]   // URL
/// let workers = configuration[.parallelism]     // Int
/// ```
public struct UpdraftConfiguration: Sendable {
    /// The configuration file that was read, if any.
    public let file: String?
    /// The keys this configuration covers.
    public let catalog: ConfigCatalog
    private let values: [String: Entry]

    struct Entry: Sendable, Codable {
        var value: ConfigValue
        var source: ConfigSource
    }

    init(file: String?, catalog: ConfigCatalog, values: [String: Entry]) {
        self.file = file
        self.catalog = catalog
        self.values = values
    }

    /// The built-in defaults of `catalog` alone, as used by tests and by `tasks test`.
    public static func defaults(_ catalog: ConfigCatalog = .engine) -> UpdraftConfiguration {
        UpdraftConfiguration(file: nil, catalog: catalog, values: defaultEntries(catalog))
    }

    /// Every key of `catalog` at its default, the base the loaders put the file and the environment over.
    static func defaultEntries(_ catalog: ConfigCatalog) -> [String: Entry] {
        Dictionary(uniqueKeysWithValues: catalog.keys.map { ($0.path, Entry(value: $0.defaultValue, source: .defaultValue)) })
    }

    /// All settings in catalog order, for `config show`.
    public var settings: [ResolvedSetting] {
        catalog.keys.map { key in
            let entry = values[key.path] ?? Entry(value: key.defaultValue, source: .defaultValue)
            return ResolvedSetting(key: key, value: entry.value, source: entry.source)
        }
    }

    /// The value of `key`. A key its catalog does not hold (a module whose keys the binary did not
    /// add) gives the key's default: reading never traps.
    public subscript<Value>(key: ConfigKey<Value>) -> Value {
        if let entry = values[key.path], let value = Value(configValue: entry.value) { return value }
        return Value(configValue: key.spec.defaultValue)!
    }

    /// Where the value of `key` came from.
    public func source<Value>(of key: ConfigKey<Value>) -> ConfigSource {
        values[key.path]?.source ?? .defaultValue
    }

    /// Returns a copy with `overrides` (dotted path → text) applied, validated by each key's kind
    /// and tagged `origin` (the demo's sandbox endpoints, a test's settings).
    public func overriding(_ overrides: [String: String], origin: String) throws(ConfigError) -> UpdraftConfiguration {
        var copy = values
        for (path, text) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let key = catalog.key(path) else {
                throw ConfigError(location: origin, key: path, message: "is not a configuration key")
            }
            guard let value = key.kind.parse(text) else {
                throw key.invalidValue(text, at: origin)
            }
            copy[path] = Entry(value: value, source: .override(origin))
        }
        return UpdraftConfiguration(file: file, catalog: catalog, values: copy)
    }

    /// The home folder as an absolute path.
    public var homeURL: URL {
        URL(fileURLWithPath: self[.home], relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }
}

extension UpdraftConfiguration {
    private struct Wire: Codable {
        var file: String?
        var values: [String: Entry]
    }

    /// The values as bytes, for a worker's start-up frame (secrets included: the frame travels on
    /// a private pipe, never through argv or the environment).
    public func encoded() throws -> [UInt8] {
        Array(try JSONEncoder().encode(Wire(file: file, values: values)))
    }

    /// The configuration `encoded()` produced, over `catalog` (the worker's own, the same binary's).
    public static func decode(_ bytes: [UInt8], catalog: ConfigCatalog) throws -> UpdraftConfiguration {
        let wire = try JSONDecoder().decode(Wire.self, from: Data(bytes))
        return UpdraftConfiguration(file: wire.file, catalog: catalog, values: wire.values)
    }
}
