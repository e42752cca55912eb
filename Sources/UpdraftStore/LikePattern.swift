/// SQL `LIKE` matching as Airflow's `*_pattern` filters use it: `%` matches any text, `_` one
/// character, `\` escapes the next one, letters match ignoring case, and the pattern may match
/// anywhere in the text (`%pattern%`).
///
/// ```swift
/// LikePattern("manual%2024").matches("MANUAL__2024-01-01")   // true
/// ```
public struct LikePattern: Sendable, Hashable {
    public var pattern: String

    public init(_ pattern: String) { self.pattern = pattern }

    /// The `LIKE` operand for SQLite: the pattern wrapped in `%` (escape character `\`).
    public var sqlOperand: String { "%" + pattern + "%" }

    /// Whether `text` contains a match of the pattern, ignoring case.
    public func matches(_ text: String) -> Bool {
        let tokens = Self.tokens(Array(pattern.lowercased()))
        let characters = Array(text.lowercased())
        // Anywhere in the text: a leading and trailing "any text".
        return Self.match([.any] + tokens + [.any], characters)
    }

    enum Token: Equatable { case any, one, literal(Character) }

    static func tokens(_ pattern: [Character]) -> [Token] {
        var result: [Token] = []
        var index = 0
        while index < pattern.count {
            let character = pattern[index]
            if character == "\\", index + 1 < pattern.count {
                result.append(.literal(pattern[index + 1])); index += 2; continue
            }
            result.append(character == "%" ? .any : character == "_" ? .one : .literal(character))
            index += 1
        }
        return result
    }

    /// Dynamic programming over (token, character) positions.
    static func match(_ tokens: [Token], _ text: [Character]) -> Bool {
        var reachable = [Bool](repeating: false, count: text.count + 1)
        reachable[0] = true
        for token in tokens {
            var next = [Bool](repeating: false, count: text.count + 1)
            for position in 0...text.count where reachable[position] {
                switch token {
                case .any:
                    for later in position...text.count { next[later] = true }
                case .one:
                    if position < text.count { next[position + 1] = true }
                case .literal(let character):
                    if position < text.count, text[position] == character { next[position + 1] = true }
                }
            }
            reachable = next
        }
        return reachable[text.count]
    }
}
