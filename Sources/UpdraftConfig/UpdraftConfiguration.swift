import Foundation

/// One effective setting: its key, value and where the value came from.
public struct ResolvedSetting: Sendable, Hashable {
    public let key: ConfigKey
    public let value: ConfigValue
    public let source: ConfigSource

    /// The value as printed: secrets that are set show as `****`.
    public var displayValue: String {
        if key.isSecret, case .string(let text) = value, !text.isEmpty { return "****" }
        return value.description
    }
}

/// The effective configuration: every key of ``ConfigCatalog`` with a value and its source.
public struct UpdraftConfiguration: Sendable {
    /// The configuration file that was read, if any.
    public let file: String?
    private let values: [String: (ConfigValue, ConfigSource)]

    init(file: String?, values: [String: (ConfigValue, ConfigSource)]) {
        self.file = file
        self.values = values
    }

    /// The built-in defaults alone, as used by tests and by `tasks test`.
    public static var defaults: UpdraftConfiguration {
        UpdraftConfiguration(file: nil, values: Dictionary(uniqueKeysWithValues:
            ConfigCatalog.keys.map { ($0.path, ($0.defaultValue, ConfigSource.defaultValue)) }))
    }

    /// All settings in catalog order, for `config show`.
    public var settings: [ResolvedSetting] {
        ConfigCatalog.keys.map { key in
            let (value, source) = values[key.path]!
            return ResolvedSetting(key: key, value: value, source: source)
        }
    }

    /// Returns a copy with `overrides` applied (validated by each key's kind), tagged `origin`.
    public func overriding(_ overrides: [String: String], origin: String) throws(ConfigError) -> UpdraftConfiguration {
        var copy = values
        for (path, text) in overrides {
            guard let key = ConfigCatalog.key(path) else {
                throw ConfigError(location: origin, key: path, message: "is not a configuration key")
            }
            guard let value = key.kind.parse(text) else {
                throw key.invalidValue(text, at: origin)
            }
            copy[path] = (value, .override(origin))
        }
        return UpdraftConfiguration(file: file, values: copy)
    }

    /// The source of a key's value.
    public func source(of path: String) -> ConfigSource { entry(path).1 }

    public func string(_ path: String) -> String {
        if case .string(let text) = entry(path).0 { return text }
        preconditionFailure("config key '\(path)' is not a string")
    }

    public func integer(_ path: String) -> Int {
        if case .integer(let value) = entry(path).0 { return value }
        preconditionFailure("config key '\(path)' is not an integer")
    }

    public func number(_ path: String) -> Double {
        switch entry(path).0 {
        case .number(let value): return value
        case .integer(let value): return Double(value)
        default: preconditionFailure("config key '\(path)' is not a number")
        }
    }

    public func boolean(_ path: String) -> Bool {
        if case .boolean(let value) = entry(path).0 { return value }
        preconditionFailure("config key '\(path)' is not a boolean")
    }

    public func list(_ path: String) -> [String] {
        if case .list(let items) = entry(path).0 { return items }
        preconditionFailure("config key '\(path)' is not a list")
    }

    /// The home folder as an absolute path.
    public var homeURL: URL {
        URL(fileURLWithPath: string("home"), relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }

    private func entry(_ path: String) -> (ConfigValue, ConfigSource) {
        guard let entry = values[path] else { preconditionFailure("unknown config key '\(path)'") }
        return entry
    }
}
