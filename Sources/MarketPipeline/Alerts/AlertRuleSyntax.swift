import Foundation

/// The compact text of an alert rule, one rule per item of `alerts.rules`: a condition word,
/// then `parameter=value` words in any order (docs/alerts-and-trading.md):
///
/// ```
/// price_move percent=2 minutes=15          # minutes defaults to 15
/// rsi_above level=70 symbols=BTCUSDT,ETHUSDT name=rsi-hot
/// rsi_below level=30
/// macd_cross
/// bollinger
/// volume_spike multiple=3 window=20        # the defaults
/// prediction threshold=0.01
/// ```
/// Every rule takes `symbols=` (comma- or `+`-separated pairs; all tracked pairs when absent)
/// and `name=` (letters, digits, `-`, `_`, `.`; by default the condition and its values, e.g.
/// `rsi_above-70`). Names are unique.
public enum AlertRuleSyntax {
    /// The rules of `texts`; `key` names the configuration key in errors.
    public static func parse(_ texts: [String], key: String = "alerts.rules") throws(AlertRuleSyntaxError) -> [AlertRule] {
        var rules: [AlertRule] = []
        var names: [String: Int] = [:]
        for (offset, text) in texts.enumerated() {
            let rule = try parse(text, key: key, index: offset + 1)
            if let earlier = names[rule.name] {
                throw AlertRuleSyntaxError(
                    key: key, index: offset + 1, rule: text, word: "name=\(rule.name)",
                    reason: "the name is already used by rule \(earlier); give one of them another name=")
            }
            names[rule.name] = offset + 1
            rules.append(rule)
        }
        return rules
    }

    /// The parameters each condition word takes, with their defaults (nil: required).
    static let conditions: [String: [(name: String, fallback: String?)]] = [
        "price_move": [("percent", nil), ("minutes", "15")],
        "rsi_above": [("level", nil)],
        "rsi_below": [("level", nil)],
        "macd_cross": [],
        "bollinger": [],
        "volume_spike": [("multiple", "3"), ("window", "20")],
        "prediction": [("threshold", nil)],
    ]

    /// One rule; `index` is its 1-based position in the list.
    static func parse(_ text: String, key: String, index: Int) throws(AlertRuleSyntaxError) -> AlertRule {
        func fail(_ word: String, _ reason: String) -> AlertRuleSyntaxError {
            AlertRuleSyntaxError(key: key, index: index, rule: text, word: word, reason: reason)
        }
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let conditionWord = words.first else { throw fail("", "the rule is empty; it starts with a condition word") }
        guard let parameters = conditions[conditionWord] else {
            throw fail(conditionWord, "unknown condition; expected one of \(conditions.keys.sorted().joined(separator: ", "))")
        }
        let allowed = parameters.map(\.name) + ["symbols", "name"]
        var values: [String: String] = [:]
        for word in words.dropFirst() {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw fail(word, "expected parameter=value") }
            guard allowed.contains(parts[0]) else {
                throw fail(word, "unknown parameter '\(parts[0])' for \(conditionWord); it takes \(allowed.joined(separator: ", "))")
            }
            guard values[parts[0]] == nil else { throw fail(word, "'\(parts[0])' is given twice") }
            guard !parts[1].isEmpty else { throw fail(word, "'\(parts[0])' has no value") }
            values[parts[0]] = parts[1]
        }
        for parameter in parameters where values[parameter.name] == nil {
            guard let fallback = parameter.fallback else {
                throw fail(conditionWord, "\(conditionWord) needs \(parameter.name)=…")
            }
            values[parameter.name] = fallback
        }
        func number(_ name: String, _ range: ClosedRange<Double>, _ what: String) throws(AlertRuleSyntaxError) -> Double {
            let text = values[name]!
            guard let value = Double(text), value.isFinite, range.contains(value) else {
                throw fail("\(name)=\(text)", "\(name) must be \(what)")
            }
            return value
        }
        func count(_ name: String, _ range: ClosedRange<Int>) throws(AlertRuleSyntaxError) -> Int {
            let text = values[name]!
            guard let value = Int(text), range.contains(value) else {
                throw fail("\(name)=\(text)", "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        let condition: AlertCondition
        switch conditionWord {
        case "price_move":
            condition = .priceMove(
                percent: try number("percent", 0.000_001...1_000_000, "a number of percent above 0"),
                minutes: try count("minutes", 1...10_080))
        case "rsi_above": condition = .rsiAbove(try number("level", 0...100, "a level from 0 to 100"))
        case "rsi_below": condition = .rsiBelow(try number("level", 0...100, "a level from 0 to 100"))
        case "macd_cross": condition = .macdCrossesSignal
        case "bollinger": condition = .outsideBollinger
        case "volume_spike":
            condition = .volumeSpike(
                multiple: try number("multiple", 0.000_001...1_000_000, "a multiple above 0"), window: try count("window", 1...10_080))
        default: condition = .predictionBeyond(threshold: try number("threshold", 0.000_001...10, "a return above 0 (0.01 = 1 %)"))
        }
        var symbols: Set<String>?
        if let list = values["symbols"] {
            let items = list.split(whereSeparator: { $0 == "," || $0 == "+" }).map(String.init)
            guard !items.isEmpty else { throw fail("symbols=\(list)", "symbols lists no pair") }
            for item in items where !item.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) {
                throw fail("symbols=\(list)", "'\(item)' is not a pair such as BTCUSDT (capital letters and digits)")
            }
            symbols = Set(items)
        }
        let name = values["name"] ?? ([conditionWord] + parameters.map { values[$0.name]! }).joined(separator: "-")
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw fail("name=\(name)", "a name has only letters, digits, '-', '_' and '.'")
        }
        return AlertRule(name: name, symbols: symbols, condition: condition)
    }
}

/// A rule of `alerts.rules` that cannot be read: the key, the rule's position (from 1), the word
/// at fault and why.
public struct AlertRuleSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var key: String
    /// 1 for the first rule.
    public var index: Int
    public var rule: String
    public var word: String
    public var reason: String

    public var description: String {
        "\(key), rule \(index) ('\(rule)'): " + (word.isEmpty ? reason : "'\(word)': \(reason)")
    }
}

extension AlertCondition {
    /// The condition in the rule syntax's words (`rsi_above level=70`), as stored with firings.
    public var text: String {
        func n(_ value: Double) -> String { AlertEvaluator.format(value) }
        switch self {
        case .priceMove(let percent, let minutes): return "price_move percent=\(n(percent)) minutes=\(minutes)"
        case .rsiAbove(let level): return "rsi_above level=\(n(level))"
        case .rsiBelow(let level): return "rsi_below level=\(n(level))"
        case .macdCrossesSignal: return "macd_cross"
        case .outsideBollinger: return "bollinger"
        case .volumeSpike(let multiple, let window): return "volume_spike multiple=\(n(multiple)) window=\(window)"
        case .predictionBeyond(let threshold): return "prediction threshold=\(threshold)"
        }
    }
}
