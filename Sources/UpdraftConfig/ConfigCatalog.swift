import Foundation

/// The configuration keys a binary knows, with their defaults: the engine's own
/// (``ConfigCatalog/engine``) plus the keys each extension contributes. The single source of
/// truth for parsing, `updraft config show`, the environment variable names and the example file
/// (`docs/updraft.example.yaml`, kept in step by a test).
///
/// ```swift
/// let catalog = ConfigCatalog.engine.adding(MarketConfig.keys)
/// let config = try ConfigLoader.load(catalog: catalog, home: nil, configFile: nil, environment: env)
/// ```
public struct ConfigCatalog: Sendable {
    /// All keys, in the order `config show` prints them.
    public let keys: [ConfigKeySpec]
    private let byPath: [String: ConfigKeySpec]

    /// A catalog of `keys`; a later key with the path of an earlier one replaces it.
    public init(_ keys: [ConfigKeySpec]) {
        var seen: [String: Int] = [:]
        var ordered: [ConfigKeySpec] = []
        for key in keys {
            if let index = seen[key.path] {
                ordered[index] = key
            } else {
                seen[key.path] = ordered.count
                ordered.append(key)
            }
        }
        self.keys = ordered
        byPath = Dictionary(uniqueKeysWithValues: ordered.map { ($0.path, $0) })
    }

    /// This catalog followed by `more` (an extension's keys).
    public func adding(_ more: [ConfigKeySpec]) -> ConfigCatalog { ConfigCatalog(keys + more) }

    /// The key at `path`, if any.
    public func key(_ path: String) -> ConfigKeySpec? { byPath[path] }

    /// The secret key whose `_file` companion is `path` (`coingecko.api_key_file`), if any.
    func secretKey(namingFile path: String) -> ConfigKeySpec? {
        guard path.hasSuffix("_file"), let key = byPath[String(path.dropLast(5))], key.isSecret else { return nil }
        return key
    }

    /// The engine's keys: where state lives, how it is protected, how many workers run tasks.
    public static let engine = ConfigCatalog([
        ConfigKey<String>.home.spec, ConfigKey<String>.homePermissions.spec, ConfigKey<Int>.parallelism.spec,
        ConfigKey<Int>.workerIdleTimeout.spec,
        ConfigKey<String>.stateDurability.spec, ConfigKey<String>.stateURL.spec, ConfigKey<Secret>.statePassword.spec,
        ConfigKey<Int>.stateLeaseTimeout.spec,
    ])
}

extension ConfigKey where Value == String {
    /// `home`: the home folder (state, logs, the domain's files).
    public static var home: ConfigKey<String> {
        ConfigKey(
            "home", .string, default: "runs",
            "Home folder: state DB, logs, the extensions' data. Relative to the working directory.")
    }

    /// `home_permissions`: `private`, `group` or `umask`.
    public static var homePermissions: ConfigKey<String> {
        ConfigKey(
            "home_permissions", .choice(["private", "group", "umask"]), default: "private",
            "What Updraft creates in the home: private (folders 0700, files 0600), group (0750, 0640), "
                + "or umask (the process umask decides).")
    }

    /// `state.durability`: `normal` or `full`.
    public static var stateDurability: ConfigKey<String> {
        ConfigKey(
            "state.durability", .choice(["normal", "full"]), default: "normal",
            "normal survives a process crash; full also survives power loss (fsync per commit).")
    }
}

extension ConfigKey where Value == String {
    /// `state.url`: where the state lives (empty: `<home>/updraft.db`).
    public static var stateURL: ConfigKey<String> {
        ConfigKey(
            "state.url", .string, default: "",
            "Where the state lives: empty for <home>/updraft.db, a SQLite path (sqlite:///path), or "
                + "postgresql://user@host:5432/db?sslmode=verify-full (password in state.password).")
    }
}

extension ConfigKey where Value == Secret {
    /// `state.password`: the password of `state.url`'s login.
    public static var statePassword: ConfigKey<Secret> {
        ConfigKey("state.password", .secret, default: Secret(""), "Password of the state database's login (PostgreSQL).")
    }
}

extension ConfigKey where Value == Int {
    /// `state.lease_timeout`: seconds without a heartbeat after which a run or a claimed try is taken over.
    public static var stateLeaseTimeout: ConfigKey<Int> {
        ConfigKey(
            "state.lease_timeout", .integer(minimum: 3), default: 30,
            "Seconds without a heartbeat after which another scheduler takes a run over, or a worker's try is interrupted.")
    }

    /// `parallelism`: worker processes (default: the core count).
    public static var parallelism: ConfigKey<Int> {
        ConfigKey(
            "parallelism", .integer(minimum: 1), default: ProcessInfo.processInfo.activeProcessorCount,
            "Worker processes that run tasks (default: the core count).")
    }

    /// `worker_idle_timeout`: seconds a worker process waits for a task before it exits.
    public static var workerIdleTimeout: ConfigKey<Int> {
        ConfigKey(
            "worker_idle_timeout", .integer(minimum: 0), default: 60,
            "Seconds a worker process waits without a task before it exits (the next task starts one again); 0 keeps them.")
    }
}
