import Foundation

/// When the engine tells people: on a task's failure or retry, on a run's recovery, on a run
/// late past its deadline (SLA), on a schedule that produced no run when due, on an asset not
/// updated for too long. Rules come from `notifications.rules` in `updraft.yaml`, one line each:
///
/// ```yaml
/// notifications:
///   rules:
///     - failure                                  # every task failure of every DAG, all channels
///     - retry dags=historical tasks=*.load_* channels=slack
///     - recovery dags=get_symbols
///     - sla dags=historical after=2h             # 2 h after the data interval's end
///     - missed_schedule grace=10m
///     - asset_stale asset=tickerdata_1m max_age=26h channels=telegram,email
/// ```
///
/// In the environment, rules are separated by commas, so lists inside a rule use `|`:
/// `UPDRAFT_NOTIFICATIONS_RULES='failure dags=etl|historical, recovery'`.
public struct NotificationRule: Sendable, Hashable {
    public enum Event: String, Sendable, Hashable, CaseIterable {
        case failure, retry, recovery, sla
        case missedSchedule = "missed_schedule"
        case assetStale = "asset_stale"
    }

    /// Unique among the rules; part of each message's dedupe key (default: the event and the
    /// rule's position, `failure-1`).
    public var name: String
    public var event: Event
    /// DAG id patterns (`*` matches any text); nil for every DAG.
    public var dags: [String]?
    /// Task id patterns, for `failure` and `retry`; nil for every task.
    public var tasks: [String]?
    /// Channel names; nil for every configured channel.
    public var channels: [String]?
    /// `sla`: how long after the data interval's end a run may still be unfinished.
    public var after: TimeInterval?
    /// `missed_schedule`: how late a due run may be before it counts as missed (default 5 min).
    public var grace: TimeInterval
    /// `asset_stale`: the asset's name or URI, and the age past which it is stale.
    public var asset: String?
    public var maxAge: TimeInterval?

    public init(
        name: String, event: Event, dags: [String]? = nil, tasks: [String]? = nil, channels: [String]? = nil,
        after: TimeInterval? = nil, grace: TimeInterval = 300, asset: String? = nil, maxAge: TimeInterval? = nil
    ) {
        self.name = name; self.event = event; self.dags = dags; self.tasks = tasks; self.channels = channels
        self.after = after; self.grace = grace; self.asset = asset; self.maxAge = maxAge
    }

    /// Whether the rule watches DAG `dagId` (and task `taskId`, when given).
    public func matches(dagId: String, taskId: String? = nil) -> Bool {
        guard dags.map({ $0.contains { Self.glob($0, matches: dagId) } }) ?? true else { return false }
        guard let taskId, let tasks else { return true }
        return tasks.contains { Self.glob($0, matches: taskId) }
    }

    /// `*` matches any text (dots included); every other character itself.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return pattern == text }
        guard text.hasPrefix(parts[0]) else { return false }
        var rest = Substring(text).dropFirst(parts[0].count)
        for middle in parts.dropFirst().dropLast() where !middle.isEmpty {
            guard let range = rest.range(of: middle) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.hasSuffix(parts.last!)
    }
}

/// A rule line that cannot be read; the message names the key, the line and the word at fault.
public struct NotificationRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension NotificationRule {
    /// Reads rule lines (`failure dags=etl channels=slack`); `source` names them in errors
    /// (`notifications.rules`).
    public static func parse(
        _ lines: [String], source: String = "notifications.rules"
    ) throws(NotificationRuleError)
        -> [NotificationRule]
    {
        var rules: [NotificationRule] = []
        for (index, line) in lines.enumerated() {
            let at = "\(source)[\(index + 1)] '\(line)'"
            var words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard !words.isEmpty else { throw NotificationRuleError("\(at): empty rule") }
            let head = words.removeFirst()
            guard let event = Event(rawValue: head) else {
                throw NotificationRuleError(
                    "\(at): unknown event '\(head)' (one of \(Event.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            var rule = NotificationRule(name: "\(event.rawValue)-\(index + 1)", event: event)
            for word in words {
                guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
                    throw NotificationRuleError("\(at): '\(word)' is not key=value")
                }
                let key = String(word[..<equals]), value = String(word[word.index(after: equals)...])
                guard !value.isEmpty else { throw NotificationRuleError("\(at): '\(key)' has no value") }
                // `|` too: in UPDRAFT_NOTIFICATIONS_RULES commas separate the rules themselves.
                let list = value.split(whereSeparator: { $0 == "," || $0 == "|" }).map(String.init)
                switch key {
                case "name": rule.name = value
                case "dags": rule.dags = list
                case "tasks" where event == .failure || event == .retry: rule.tasks = list
                case "channels": rule.channels = list
                case "after" where event == .sla: rule.after = try duration(value, key: key, at: at)
                case "grace" where event == .missedSchedule: rule.grace = try duration(value, key: key, at: at)
                case "asset" where event == .assetStale: rule.asset = value
                case "max_age" where event == .assetStale: rule.maxAge = try duration(value, key: key, at: at)
                default: throw NotificationRuleError("\(at): '\(key)' is not a setting of a \(event.rawValue) rule")
                }
            }
            switch event {
            case .sla where rule.after == nil: throw NotificationRuleError("\(at): an sla rule needs after=DURATION (e.g. after=2h)")
            case .assetStale where rule.asset == nil || rule.maxAge == nil:
                throw NotificationRuleError("\(at): an asset_stale rule needs asset=NAME and max_age=DURATION")
            default: break
            }
            if rules.contains(where: { $0.name == rule.name }) {
                throw NotificationRuleError("\(at): another rule is named '\(rule.name)'")
            }
            rules.append(rule)
        }
        return rules
    }

    /// `90s`, `15m`, `2h`, `1d` (a bare number is seconds).
    static func duration(_ text: String, key: String, at: String) throws(NotificationRuleError) -> TimeInterval {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        let unit = text.last.flatMap { units[$0] }
        let number = unit == nil ? text : String(text.dropLast())
        guard let value = Double(number), value > 0, value.isFinite else {
            throw NotificationRuleError("\(at): '\(key)=\(text)' is not a duration like 90s, 15m, 2h or 1d")
        }
        return value * (unit ?? 1)
    }
}

/// The engine's notification rules and where messages go; the CLI builds them from the
/// configuration (an engine without rules notifies only what tasks ask, `ctx.notify`).
public struct NotificationSettings: Sendable, Hashable {
    public var rules: [NotificationRule]
    /// The configured channels by name: a rule or notice naming none goes to all of these.
    public var channels: [String]
    /// How long a run's first failure waits for others before its message goes, so that many
    /// failures of one run make one message; the run's end sends it at once.
    public var groupWindow: TimeInterval

    public init(rules: [NotificationRule] = [], channels: [String] = [], groupWindow: TimeInterval = 30) {
        self.rules = rules; self.channels = channels; self.groupWindow = groupWindow
    }

    /// The channels of a rule or notice that names `names` (nil: all configured).
    func channels(_ names: [String]?) -> [String] { names ?? channels }
}
