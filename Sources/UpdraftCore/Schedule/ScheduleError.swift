/// A schedule or cron expression that cannot be used, naming the expression and the field at fault.
///
/// ```swift
/// do { _ = try CronExpression("61 * * * *") }
/// catch { print(error) }   // cron '61 * * * *': minute 61 is out of range 0–59
/// ```
public struct ScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The schedule text as written (e.g. `61 * * * *` or `@fortnightly`).
    public var expression: String
    /// The cron field at fault (`minute`, `hour`, `day-of-month`, `month`, `day-of-week`),
    /// or nil when the expression as a whole is wrong (field count, unknown preset).
    public var field: String?
    /// What is wrong, in a sentence fragment that names the offending value.
    public var reason: String

    /// Creates an error for `expression`, naming `field` when one field is at fault.
    public init(expression: String, field: String? = nil, reason: String) {
        self.expression = expression
        self.field = field
        self.reason = reason
    }

    /// `cron '<expression>': <reason>`, e.g. `cron '61 * * * *': minute 61 is out of range 0–59`.
    public var description: String {
        if expression.hasPrefix("@") { return "schedule '\(expression)': \(reason)" }
        return "cron '\(expression)': \(reason)"
    }
}
