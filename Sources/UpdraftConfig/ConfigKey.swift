/// The type a key accepts, with its constraints. Text is interpreted by the key's kind, never by
/// YAML's own guessing, so `quote_asset: NO` is the string "NO" and `coins: "10"` is 10.
public enum ConfigKind: Sendable, Hashable {
    case string
    /// An absolute `http://` or `https://` URL; a trailing `/` is dropped.
    case url
    case integer(minimum: Int)
    case number(minimum: Double)
    case boolean
    case list
    /// A schedule: a 5-field cron expression, a preset such as `@daily`, or `none`.
    case schedule
    /// One of a fixed set of words.
    case choice([String])

    var expectation: String {
        switch self {
        case .string: "a string"
        case .url: "an http(s) URL"
        case .integer(let minimum): "an integer ≥ \(minimum)"
        case .number(let minimum): "a number ≥ \(minimum)"
        case .boolean: "true or false"
        case .list: "a list of strings"
        case .schedule: "a cron expression, a preset like @daily, or none"
        case .choice(let words): "one of " + words.joined(separator: ", ")
        }
    }

    /// Parses `text` as this kind; `nil` when it does not fit.
    func parse(_ text: String) -> ConfigValue? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch self {
        case .string:
            return .string(text)
        case .url:
            guard trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://"),
                  trimmed.count > "https://".count else { return nil }
            return .string(trimmed.hasSuffix("/") ? String(trimmed.dropLast()) : trimmed)
        case .integer(let minimum):
            guard let value = Int(trimmed), value >= minimum else { return nil }
            return .integer(value)
        case .number(let minimum):
            guard let value = Double(trimmed), value.isFinite, value >= minimum else { return nil }
            return .number(value)
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "yes", "on", "1": return .boolean(true)
            case "false", "no", "off", "0": return .boolean(false)
            default: return nil
            }
        case .list:
            let items = trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return .list(items.filter { !$0.isEmpty })
        case .schedule:
            return Self.isSchedule(trimmed) ? .string(trimmed) : nil
        case .choice(let words):
            return words.contains(trimmed) ? .string(trimmed) : nil
        }
    }

    /// A light syntactic check; the engine's cron parser has the final word when a DAG registers.
    private static func isSchedule(_ text: String) -> Bool {
        let presets: Set = ["none", "@once", "@hourly", "@daily", "@midnight", "@weekly", "@monthly",
                            "@yearly", "@annually"]
        if presets.contains(text) { return true }
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        let allowed = Set("0123456789*/,-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return fields.count == 5 && fields.allSatisfy { $0.allSatisfy(allowed.contains) }
    }
}

/// One configuration key: its dotted path in the file, type, default, environment variable and doc.
public struct ConfigKey: Sendable, Hashable {
    /// Dotted path, e.g. `endpoints.coingecko`.
    public let path: String
    public let kind: ConfigKind
    public let defaultValue: ConfigValue
    /// One line for `config show --describe` and the example file.
    public let summary: String
    /// Secrets are never printed.
    public let isSecret: Bool

    public init(_ path: String, _ kind: ConfigKind, default defaultValue: ConfigValue,
                _ summary: String, secret: Bool = false) {
        self.path = path
        self.kind = kind
        self.defaultValue = defaultValue
        self.summary = summary
        self.isSecret = secret
    }

    /// The error for `text` that does not fit this key's kind, at `location`. A secret's text
    /// is never quoted: `'coingecko.api_key' must be a string`.
    func invalidValue(_ text: String, at location: String) -> ConfigError {
        ConfigError(location: location, key: path,
                    message: "must be \(kind.expectation)" + (isSecret ? "" : ", got '\(text)'"))
    }

    /// The environment variable that overrides this key: `UPDRAFT_` + path in upper snake case,
    /// e.g. `endpoints.coingecko` → `UPDRAFT_ENDPOINTS_COINGECKO`.
    public var environmentVariable: String {
        "UPDRAFT_" + path.uppercased().replacingOccurrences(of: ".", with: "_")
    }
}

import Foundation
