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
    /// A list of words from a fixed set (`[binance, kraken]`).
    case listOf([String])
    /// A schedule: a 5-field cron expression, a preset such as `@daily`, or `none`.
    case schedule
    /// One of a fixed set of words.
    case choice([String])
    /// A secret (API key, password, token, a webhook URL with a token): from its environment
    /// variable, a `<key>_file` key naming a file, or a YAML file only its owner can read.
    /// Never printed: `config show`, errors and logs show `****`.
    case secret

    var expectation: String {
        switch self {
        case .string: "a string"
        case .url: "an http(s) URL"
        case .integer(let minimum): "an integer ≥ \(minimum)"
        case .number(let minimum): "a number ≥ \(minimum)"
        case .boolean: "true or false"
        case .list: "a list of strings"
        case .listOf(let words): "a list of " + words.joined(separator: ", ")
        case .schedule: "a cron expression, a preset like @daily, or none"
        case .choice(let words): "one of " + words.joined(separator: ", ")
        case .secret: "a string"
        }
    }

    /// Parses `text` as this kind; `nil` when it does not fit.
    func parse(_ text: String) -> ConfigValue? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch self {
        case .string, .secret:
            return .string(text)
        case .url:
            guard trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://"),
                trimmed.count > "https://".count
            else { return nil }
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
        case .listOf(let words):
            let items = trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return items.allSatisfy(words.contains) ? .list(items) : nil
        case .schedule:
            return Self.isSchedule(trimmed) ? .string(trimmed) : nil
        case .choice(let words):
            return words.contains(trimmed) ? .string(trimmed) : nil
        }
    }

    /// Whether values of this kind are lists.
    var isList: Bool {
        switch self {
        case .list, .listOf: true
        default: false
        }
    }

    /// A light syntactic check; the engine's cron parser has the final word when a DAG registers.
    private static func isSchedule(_ text: String) -> Bool {
        let presets: Set = [
            "none", "@once", "@hourly", "@daily", "@midnight", "@weekly", "@monthly",
            "@yearly", "@annually",
        ]
        if presets.contains(text) { return true }
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        let allowed = Set("0123456789*/,-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return fields.count == 5 && fields.allSatisfy { $0.allSatisfy(allowed.contains) }
    }
}

/// One configuration key as the catalog and the loader see it, untyped: its dotted path in the
/// file, kind, default, environment variable and doc. Code reads values through the typed
/// ``ConfigKey``, which wraps one of these.
public struct ConfigKeySpec: Sendable, Hashable {
    /// Dotted path, e.g. `endpoints.coingecko`.
    public let path: String
    public let kind: ConfigKind
    public let defaultValue: ConfigValue
    /// One line for `config show --describe` and the example file.
    public let summary: String
    /// Secrets (kind ``ConfigKind/secret``, or any kind marked `secret`, e.g. a webhook URL that
    /// embeds a token) follow the secret rules of ``ConfigLoader`` and are never printed.
    public let isSecret: Bool

    /// A key; `kind` decides how text is read.
    public init(
        _ path: String, _ kind: ConfigKind, default defaultValue: ConfigValue, _ summary: String,
        secret: Bool = false
    ) {
        self.path = path
        self.kind = kind
        self.defaultValue = defaultValue
        self.summary = summary
        isSecret = secret || kind == .secret
    }

    /// For a secret key, the key naming a file that holds its value: `coingecko.api_key_file`.
    public var filePath: String { path + "_file" }

    /// The error for `text` that does not fit this key's kind, at `location`. A secret's text
    /// is never quoted: `'coingecko.api_key' must be a string`.
    func invalidValue(_ text: String, at location: String) -> ConfigError {
        ConfigError(
            location: location, key: path,
            message: "must be \(kind.expectation)" + (isSecret ? "" : ", got '\(text)'"))
    }

    /// The environment variable that overrides this key: `UPDRAFT_` + path in upper snake case,
    /// e.g. `endpoints.coingecko` → `UPDRAFT_ENDPOINTS_COINGECKO`.
    public var environmentVariable: String {
        // Not Foundation's replacingOccurrences, which goes through NSString: every process reads
        // this for each key at start, and `data stats` ran 4% more instructions with it.
        "UPDRAFT_" + String(path.uppercased().map { $0 == "." ? "_" : $0 })
    }
}
