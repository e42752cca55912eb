import Foundation
import Yams

/// Builds the effective configuration from defaults, a YAML file, environment variables and
/// overrides, in rising precedence, remembering where each value came from.
///
/// A secret key (``ConfigKind/secret``) takes its value from its environment variable, from a
/// `<key>_file` key (in the YAML or as `UPDRAFT_<KEY>_FILE`) naming a file that holds it (a
/// trailing newline is dropped), or from the YAML itself only when that file is readable by its
/// owner alone (mode `0600` or stricter); otherwise loading fails naming the file and the key.
///
/// ```swift
/// let config = try ConfigLoader.load(catalog: .engine, home: nil, configFile: nil,
///                                    environment: ProcessInfo.processInfo.environment)
/// print(config[.parallelism])
/// ```
public enum ConfigLoader {
    /// The file name looked for in the home folder when no `--config` is given.
    public static let defaultFileName = "updraft.yaml"

    /// Loads the configuration.
    /// - Parameters:
    ///   - catalog: the keys this binary knows (the engine's plus its extensions').
    ///   - home: the `--home` flag, if given (beats `UPDRAFT_HOME` and the file's `home`).
    ///   - configFile: the `--config` flag, if given, else `UPDRAFT_CONFIG`; it must exist.
    ///     Otherwise `<home>/updraft.yaml` is read when present.
    ///   - environment: read once, here, by the process's entry point (the CLI).
    public static func load(
        catalog: ConfigCatalog = .engine, home: String?, configFile: String?,
        environment: [String: String]
    ) throws(ConfigError) -> UpdraftConfiguration {
        var values = UpdraftConfiguration.defaultEntries(catalog)

        // The home folder decides where the default file is, so resolve it first (without the file).
        let provisionalHome = home ?? environment["UPDRAFT_HOME"] ?? "runs"
        let filePath: String?
        if let configFile = configFile ?? environment["UPDRAFT_CONFIG"] {
            guard FileManager.default.fileExists(atPath: configFile) else {
                throw ConfigError(location: configFile, key: nil, message: "no such configuration file")
            }
            filePath = URL(fileURLWithPath: configFile).standardizedFileURL.path
        } else {
            let candidate = (provisionalHome as NSString).appendingPathComponent(defaultFileName)
            filePath = FileManager.default.fileExists(atPath: candidate) ? candidate : nil
        }
        if let filePath {
            for (path, entry) in try parseFile(filePath, catalog: catalog) { values[path] = entry }
        }
        for key in catalog.keys {
            let fileVariable = key.environmentVariable + "_FILE"
            if key.isSecret, environment[key.environmentVariable] == nil, let file = environment[fileVariable] {
                let value = try readSecretFile(file, key: key, location: "env \(fileVariable)")
                values[key.path] = .init(value: value, source: .environment(fileVariable))
                continue
            }
            guard let text = environment[key.environmentVariable] else { continue }
            let location = "env \(key.environmentVariable)"
            guard let value = key.kind.parse(text) else {
                throw key.invalidValue(text, at: location)
            }
            values[key.path] = .init(value: value, source: .environment(key.environmentVariable))
        }
        if let home { values["home"] = .init(value: .string(home), source: .override("--home")) }
        return UpdraftConfiguration(file: filePath, catalog: catalog, values: values)
    }

    /// Parses a YAML configuration file into dotted keys with their line numbers.
    static func parseFile(
        _ path: String,
        catalog: ConfigCatalog
    ) throws(ConfigError) -> [String: UpdraftConfiguration.Entry] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(location: path, key: nil, message: "cannot be read: \(error.localizedDescription)")
        }
        return try parseText(text, path: path, catalog: catalog, ownerOnly: isOwnerOnly(path))
    }

    /// Parses configuration text as if read from the file `file`: the defaults of `catalog` with
    /// the text's values over them (no environment, no overrides). A secret in the text is
    /// accepted only when `ownerOnly` says the file is readable by its owner alone.
    ///
    /// ```swift
    /// let config = try ConfigLoader.parse(yaml: "parallelism: 4\n", file: "updraft.yaml", ownerOnly: false)
    /// config[.parallelism]   // 4
    /// ```
    public static func parse(
        yaml text: String, file: String, catalog: ConfigCatalog = .engine, ownerOnly: Bool
    ) throws(ConfigError) -> UpdraftConfiguration {
        var values = UpdraftConfiguration.defaultEntries(catalog)
        for (path, entry) in try parseText(text, path: file, catalog: catalog, ownerOnly: ownerOnly) { values[path] = entry }
        return UpdraftConfiguration(file: file, catalog: catalog, values: values)
    }

    /// Parses the YAML text of the configuration file `path` into dotted keys with their line numbers.
    static func parseText(
        _ text: String, path: String, catalog: ConfigCatalog, ownerOnly: Bool
    ) throws(ConfigError) -> [String: UpdraftConfiguration.Entry] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw syntaxError(error, text: text, path: path)
        }
        guard let root else { return [:] }  // an empty file sets nothing
        guard case .mapping(let mapping) = root else {
            throw ConfigError(
                location: "\(path):\(root.mark?.line ?? 1)", key: nil,
                message: "must be a mapping of keys to values")
        }
        var result: [String: UpdraftConfiguration.Entry] = [:]
        let parser = FileParser(catalog: catalog, file: path, ownerOnly: ownerOnly)
        try parser.collect(mapping, prefix: "", into: &result)
        return result
    }

    /// Whether only the file's owner can read or write it (mode & 0o077 == 0). A mode that cannot
    /// be read counts as shared: a secret in that file is then refused, never accepted.
    static func isOwnerOnly(_ path: String) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = attributes[.posixPermissions] as? Int
        else { return false }
        return mode & 0o077 == 0
    }

    /// The text of a secret's file, without its trailing newline.
    static func readSecretFile(_ file: String, key: ConfigKeySpec, location: String) throws(ConfigError) -> ConfigValue {
        // The error names the file and key; the reason (missing, unreadable, not UTF-8) is not needed.
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ConfigError(location: location, key: key.filePath, message: "names a file that cannot be read: \(file)")
        }
        var value = Substring(text)
        while value.hasSuffix("\n") || value.hasSuffix("\r") { value = value.dropLast() }
        return .string(String(value))
    }

    /// One file's walk: keys, sections, secrets and their files.
    struct FileParser {
        let catalog: ConfigCatalog
        let file: String
        let ownerOnly: Bool

        func collect(
            _ mapping: Node.Mapping, prefix: String,
            into result: inout [String: UpdraftConfiguration.Entry]
        ) throws(ConfigError) {
            for (keyNode, valueNode) in mapping {
                let line = keyNode.mark?.line ?? valueNode.mark?.line ?? 1
                let location = "\(file):\(line)"
                guard case .scalar(let keyScalar) = keyNode else {
                    throw ConfigError(location: location, key: nil, message: "keys must be plain words")
                }
                let path = prefix.isEmpty ? keyScalar.string : prefix + "." + keyScalar.string
                if let key = catalog.key(path) {
                    let value = try ConfigLoader.interpret(valueNode, for: key, location: location)
                    if key.isSecret, !ownerOnly, value != .string("") {
                        throw ConfigError(
                            location: location, key: path,
                            message: """
                                is a secret, but \(file) can be read by others than its owner: \
                                run chmod 600 on it, or set \(key.environmentVariable), or name a file with '\(key.filePath)'
                                """)
                    }
                    result[path] = .init(value: value, source: .file(path: file, line: line))
                } else if let key = catalog.secretKey(namingFile: path), case .scalar(let scalar) = valueNode {
                    if result[key.path].map({ if case .file = $0.source { true } else { false } }) == true {
                        continue  // the secret itself is in the file too: it wins
                    }
                    let value = try ConfigLoader.readSecretFile(scalar.string, key: key, location: location)
                    result[key.path] = .init(value: value, source: .file(path: file, line: line))
                } else if case .mapping(let inner) = valueNode, isSection(path) {
                    try collect(inner, prefix: path, into: &result)
                } else if case .scalar(let scalar) = valueNode, scalar.string.isEmpty, isSection(path) {
                    continue  // a section whose keys are all commented out
                } else {
                    var message = "is not a configuration key"
                    if let suggestion = ConfigLoader.closestKey(to: path, in: catalog) {
                        message += " (did you mean '\(suggestion)'?)"
                    }
                    throw ConfigError(location: location, key: path, message: message)
                }
            }
        }

        private func isSection(_ path: String) -> Bool {
            catalog.keys.contains { $0.path.hasPrefix(path + ".") }
        }
    }

    static func interpret(
        _ node: Node, for key: ConfigKeySpec,
        location: String
    ) throws(ConfigError) -> ConfigValue {
        switch node {
        case .scalar(let scalar):
            if let value = key.kind.parse(scalar.string) { return value }
            throw key.invalidValue(scalar.string, at: location)
        case .sequence(let sequence) where key.kind.isList:
            var items: [String] = []
            for item in sequence {
                guard case .scalar(let scalar) = item else {
                    throw ConfigError(location: location, key: key.path, message: "must be a list of strings")
                }
                items.append(scalar.string)
            }
            if case .listOf(let words) = key.kind, let wrong = items.first(where: { !words.contains($0) }) {
                throw ConfigError(
                    location: location, key: key.path, message: "\"\(wrong)\" is not one of \(words.joined(separator: ", "))")
            }
            return .list(items)
        default:
            throw ConfigError(location: location, key: key.path, message: "must be \(key.kind.expectation)")
        }
    }

    /// The known key nearest to `path` by edit distance, when it is plausibly a typo.
    static func closestKey(to path: String, in catalog: ConfigCatalog) -> String? {
        let scored = catalog.keys.map { ($0.path, editDistance(path, $0.path)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, path.count / 4) else { return nil }
        return best.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(
                    previous[j] + 1, current[j - 1] + 1,
                    previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
