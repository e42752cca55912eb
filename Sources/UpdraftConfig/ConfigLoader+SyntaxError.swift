import Yams

extension ConfigLoader {
    /// The error for a file libyaml cannot parse: `FILE:LINE`, the problem, and the line with a
    /// caret, secret values masked (``SecretMask``). Yams' own description is never used: it
    /// quotes the raw line, and for a repeated key the whole file.
    static func syntaxError(_ error: any Error, text: String, path: String) -> ConfigError {
        let lines = SecretMask.maskedLines(of: text)
        let lineCount = text.hasSuffix("\n") || text.hasSuffix("\r\n") ? lines.count - 1 : lines.count
        let problem: String, line: Int, column: Int
        switch error as? YamlError {
        case let .scanner(context, what, mark, _), let .parser(context, what, mark, _),
            let .composer(context, what, mark, _):
            // A construct left open (a quote, a bracket) fails at the end of the file: point at its start.
            let at = mark.line > lineCount ? context?.mark ?? mark : mark
            (line, column) = (at.line, at.column)
            problem =
                what
                + (context.map { context in
                    let start = context.mark
                    if start.line == at.line && start.column == at.column { return " \(context.text)" }
                    let position = start.line == at.line ? "column \(start.column)" : "line \(start.line), column \(start.column)"
                    return " \(context.text) that starts at \(position)"
                } ?? "")
        case let .reader(what, offset?, _, _):
            problem = what
            let before = SecretMask.lines(of: text.prefix(offset))
            (line, column) = (before.count, (before.last?.count ?? 0) + 1)
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            problem =
                duplicates.count == 1
                ? "key \(names) appears twice in one mapping"
                : "keys \(names) appear twice in one mapping"
            (line, column) = (context.mark.line, context.mark.column)
        case .some:
            // The other cases (memory, encoding) carry no source text: their description is safe.
            return ConfigError(location: path, key: nil, message: "is not valid YAML: \(error)")
        case .none:
            return ConfigError(location: path, key: nil, message: "is not valid YAML (\(type(of: error)))")
        }
        let lineIndex = min(max(line, 1), lines.count)
        let shown = lines[lineIndex - 1]
        // A column inside a masked value points at the mask.
        let visible = shown.hasSuffix(SecretMask.mask) ? shown.count - SecretMask.mask.count : shown.count
        let caret = String(repeating: " ", count: min(max(column - 1, 0), visible)) + "^"
        return ConfigError(
            location: "\(path):\(lineIndex)", key: nil,
            message: "is not valid YAML, column \(column): \(problem)\n  \(shown)\n  \(caret)")
    }
}
