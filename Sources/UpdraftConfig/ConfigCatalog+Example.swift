extension ConfigCatalog {
    /// The commented example configuration (`docs/updraft.example.yaml`, `updraft config example`):
    /// every key with its summary, its environment variable and its default, commented out.
    public func exampleYAML() -> String {
        var lines = [
            "# Updraft configuration: <home>/updraft.yaml, or any file given with --config.",
            "# Every key is optional; each line below shows the default. Uncomment to change it.",
            "# Environment variables override the file (named after each key below);",
            "# command-line flags such as --home override both. `updraft config show` prints the",
            "# effective values and where each came from.",
        ]
        var section = ""
        for key in keys {
            let parts = key.path.split(separator: ".")
            let indent = parts.count > 1 ? "  " : ""
            if parts.count > 1, String(parts[0]) != section {
                section = String(parts[0])
                lines += ["", "\(section):"]
            } else if parts.count == 1 {
                section = ""
                lines.append("")
            }
            let shown = key.path == "parallelism" ? "<core count>" : Self.exampleText(key.defaultValue)
            lines.append("\(indent)# \(key.summary) (\(key.environmentVariable))")
            lines.append("\(indent)# \(parts.last!): \(shown)")
            if key.isSecret {
                lines.append("\(indent)# A secret. Set it with \(key.environmentVariable), or name a file holding it with")
                lines.append("\(indent)# \(parts.last!)_file; in this file only when no one but its owner can read it (chmod 600).")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func exampleText(_ value: ConfigValue) -> String {
        switch value {
        case .string(let text):
            return text.isEmpty || text.hasPrefix("@") || text.hasPrefix("*") ? "\"\(text)\"" : text
        case .list(let items): return "[" + items.joined(separator: ", ") + "]"
        default: return value.description
        }
    }
}
