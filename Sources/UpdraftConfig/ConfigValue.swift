/// A configuration value after parsing, typed by its key's ``ConfigKind``.
public enum ConfigValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case list([String])

    /// The value as `config show` prints it (secrets are masked by the caller).
    public var description: String {
        switch self {
        case .string(let text): text
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .boolean(let value): value ? "true" : "false"
        case .list(let items): "[" + items.joined(separator: ", ") + "]"
        }
    }
}

/// Where an effective value came from, highest precedence first: override, environment, file, default.
public enum ConfigSource: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The built-in default.
    case defaultValue
    /// A line of the configuration file.
    case file(path: String, line: Int)
    /// An environment variable.
    case environment(String)
    /// A command-line flag or a programmatic override (e.g. the demo's sandbox endpoints).
    case override(String)

    public var description: String {
        switch self {
        case .defaultValue: "default"
        case .file(let path, let line): "\(path):\(line)"
        case .environment(let name): "env \(name)"
        case .override(let origin): origin
        }
    }
}
