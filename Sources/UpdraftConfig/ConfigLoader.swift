import Foundation
import Yams

/// Builds the effective configuration from defaults, a YAML file, environment variables and
/// overrides, in rising precedence, remembering where each value came from.
///
/// ```swift
/// let config = try ConfigLoader.load(home: nil, configFile: nil,
///                                    environment: ProcessInfo.processInfo.environment)
/// print(config.integer("universe.coins"))   // 20 unless set
/// ```
public enum ConfigLoader {
    /// The file name looked for in the home folder when no `--config` is given.
    public static let defaultFileName = "updraft.yaml"

    /// Loads the configuration.
    /// - Parameters:
    ///   - home: the `--home` flag, if given (beats `UPDRAFT_HOME` and the file's `home`).
    ///   - configFile: the `--config` flag, if given, else `UPDRAFT_CONFIG`; it must exist.
    ///     Otherwise `<home>/updraft.yaml` is read when present.
    ///   - environment: usually `ProcessInfo.processInfo.environment`.
    public static func load(home: String?, configFile: String?,
                            environment: [String: String]) throws(ConfigError) -> UpdraftConfiguration {
        var values: [String: (ConfigValue, ConfigSource)] = [:]
        for key in ConfigCatalog.keys { values[key.path] = (key.defaultValue, .defaultValue) }

        // The home folder decides where the default file is, so resolve it first (without the file).
        let provisionalHome = home ?? environment["UPDRAFT_HOME"] ?? "runs"
        let filePath: String?
        if let configFile = configFile ?? environment["UPDRAFT_CONFIG"] {
            guard FileManager.default.fileExists(atPath: configFile) else {
                throw ConfigError(location: configFile, key: nil, message: "no such configuration file")
            }
            filePath = configFile
        } else {
            let candidate = (provisionalHome as NSString).appendingPathComponent(defaultFileName)
            filePath = FileManager.default.fileExists(atPath: candidate) ? candidate : nil
        }
        if let filePath {
            for (path, entry) in try parseFile(filePath) { values[path] = entry }
        }
        for key in ConfigCatalog.keys {
            guard let text = environment[key.environmentVariable] else { continue }
            let location = "env \(key.environmentVariable)"
            guard let value = key.kind.parse(text) else {
                throw key.invalidValue(text, at: location)
            }
            values[key.path] = (value, .environment(key.environmentVariable))
        }
        if let home { values["home"] = (.string(home), .override("--home")) }
        return UpdraftConfiguration(file: filePath, values: values)
    }

    /// Parses a YAML configuration file into dotted keys with their line numbers.
    static func parseFile(_ path: String) throws(ConfigError) -> [String: (ConfigValue, ConfigSource)] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(location: path, key: nil, message: "cannot be read: \(error.localizedDescription)")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw syntaxError(error, text: text, path: path)
        }
        guard let root else { return [:] }   // an empty file sets nothing
        guard case .mapping(let mapping) = root else {
            throw ConfigError(location: "\(path):\(root.mark?.line ?? 1)", key: nil,
                              message: "must be a mapping of keys to values")
        }
        var result: [String: (ConfigValue, ConfigSource)] = [:]
        try collect(mapping, prefix: "", file: path, into: &result)
        return result
    }

    private static func collect(_ mapping: Node.Mapping, prefix: String, file: String,
                                into result: inout [String: (ConfigValue, ConfigSource)]) throws(ConfigError) {
        for (keyNode, valueNode) in mapping {
            let line = keyNode.mark?.line ?? valueNode.mark?.line ?? 1
            let location = "\(file):\(line)"
            guard case .scalar(let keyScalar) = keyNode else {
                throw ConfigError(location: location, key: nil, message: "keys must be plain words")
            }
            let path = prefix.isEmpty ? keyScalar.string : prefix + "." + keyScalar.string
            if let key = ConfigCatalog.key(path) {
                let value = try interpret(valueNode, for: key, location: location)
                result[path] = (value, .file(path: file, line: line))
            } else if case .mapping(let inner) = valueNode, isSection(path) {
                try collect(inner, prefix: path, file: file, into: &result)
            } else if case .scalar(let scalar) = valueNode, scalar.string.isEmpty, isSection(path) {
                continue   // a section whose keys are all commented out

            } else {
                var message = "is not a configuration key"
                if let suggestion = closestKey(to: path) { message += " (did you mean '\(suggestion)'?)" }
                throw ConfigError(location: location, key: path, message: message)
            }
        }
    }

    private static func interpret(_ node: Node, for key: ConfigKey,
                                  location: String) throws(ConfigError) -> ConfigValue {
        switch node {
        case .scalar(let scalar):
            if let value = key.kind.parse(scalar.string) { return value }
            throw key.invalidValue(scalar.string, at: location)
        case .sequence(let sequence) where key.kind == .list:
            var items: [String] = []
            for item in sequence {
                guard case .scalar(let scalar) = item else {
                    throw ConfigError(location: location, key: key.path, message: "must be a list of strings")
                }
                items.append(scalar.string)
            }
            return .list(items)
        default:
            throw ConfigError(location: location, key: key.path, message: "must be \(key.kind.expectation)")
        }
    }

    private static func isSection(_ path: String) -> Bool {
        ConfigCatalog.keys.contains { $0.path.hasPrefix(path + ".") }
    }

    /// The known key nearest to `path` by edit distance, when it is plausibly a typo.
    static func closestKey(to path: String) -> String? {
        let scored = ConfigCatalog.keys.map { ($0.path, editDistance(path, $0.path)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, path.count / 4) else { return nil }
        return best.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1,
                                 previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
