/// When a DAG runs by itself: never (only when triggered), once, or on a cron schedule (UTC).
///
/// ```swift
/// try Schedule("@daily")          // .cron(0 0 * * *)
/// try Schedule("*/5 * * * *")     // every five minutes
/// try Schedule(nil)               // .none: runs only when triggered
/// ```
public enum Schedule: Sendable, Hashable, CustomStringConvertible {
    /// No schedule: the DAG runs only when triggered.
    case none
    /// `@once`: a single run at the start date.
    case once
    /// A cron expression; the presets `@hourly @daily @weekly @monthly @yearly` map here.
    case cron(CronExpression)

    /// Parses a schedule: nil, `""` or `none` → `.none`; `@once` → `.once`; otherwise a cron
    /// expression or preset.
    public init(_ text: String?) throws(ScheduleError) {
        guard let raw = text?.trimmingCharacters(in: .whitespacesAndNewlines),
            !raw.isEmpty, raw.lowercased() != "none"
        else {
            self = .none
            return
        }
        if raw.lowercased() == "@once" {
            self = .once
            return
        }
        self = .cron(try CronExpression(raw))
    }

    /// `none`, `@once`, or the cron text as written.
    public var description: String {
        switch self {
        case .none: "none"
        case .once: "@once"
        case .cron(let expression): expression.description
        }
    }
}
