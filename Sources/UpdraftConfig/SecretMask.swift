import Foundation

/// Hides secret values in configuration text before an error quotes a line of it.
///
/// A key is secret when its name looks like one (a catalog's secret keys must: a test checks it) (it contains `key`, `secret`, `token`, `password`, `passwd`, `credential`, `auth`
/// or `webhook`): a syntax error can stop on any line, before the file's keys are known, and
/// masking a harmless value in an error costs nothing.
///
/// ```swift
/// SecretMask.maskedLines(of: "coingecko:\n  api_key: CG-abc\n")
/// // ["coingecko:", "  api_key: ****", ""]
/// ```
enum SecretMask {
    /// What a hidden value prints as.
    static let mask = "****"

    static let secretWords = ["key", "secret", "token", "password", "passwd", "credential", "auth", "webhook"]

    /// Whether a key name (a word or a dotted path) names a secret.
    static func isSecret(name: some StringProtocol) -> Bool {
        let lower = name.lowercased()
        let last = lower.split(separator: ".").last.map(String.init) ?? lower
        return secretWords.contains { last.contains($0) }
    }

    /// The lines of `text` with every secret value replaced by ``mask``: the rest of a line
    /// after a secret key's `:` (block or flow style, comments too), and the lines that may
    /// continue that value (more indented than the key's line, or inside a quote it opened).
    static func maskedLines(of text: String) -> [String] {
        var out: [String] = []
        var open: (indent: Int, quote: Character?)?
        for raw in lines(of: text) {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            let indentText = line.prefix { $0 == " " || $0 == "\t" }
            let isBlank = indentText.count == line.count
            if let value = open {
                if let quote = value.quote {
                    out.append(isBlank ? line : indentText + mask)
                    if line.contains(quote) { open = nil }
                    continue
                }
                if isBlank || indentText.count > value.indent {
                    out.append(isBlank ? line : indentText + mask)
                    continue
                }
                open = nil
            }
            guard let colon = secretColon(in: line) else {
                out.append(line)
                continue
            }
            out.append(line[...colon] + " " + mask)
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            let quote = value.first.flatMap { $0 == "\"" || $0 == "'" ? $0 : nil }
            let closed = quote.map { value.dropFirst().contains($0) } ?? true
            open = (indentText.count, closed ? nil : quote)
        }
        return out
    }

    /// The lines of `text`, ended by `\n` or `\r\n` (which Swift reads as one `Character`, so a
    /// split on `"\n"` alone would see a Windows file as one line).
    static func lines(of text: some StringProtocol) -> [Substring] {
        Substring(text).split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    }

    /// The first `:` in `line` that ends a secret key (followed by a space or the line's end,
    /// or right after a quoted key), if any.
    static func secretColon(in line: String) -> String.Index? {
        var index = line.startIndex
        while let colon = line[index...].firstIndex(of: ":") {
            defer { index = line.index(after: colon) }
            let after = line.index(after: colon)
            let keyText = line[..<colon].reversed().prefix { !" \t{,[-".contains($0) }
            let quotedKey = keyText.first == "\"" || keyText.first == "'"
            guard after == line.endIndex || line[after] == " " || line[after] == "\t" || quotedKey else { continue }
            let name = String(keyText.reversed()).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            if !name.isEmpty, isSecret(name: name) { return colon }
        }
        return nil
    }
}
