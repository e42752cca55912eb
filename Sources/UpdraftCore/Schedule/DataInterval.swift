import Foundation

/// The span of time a DAG run covers: `[start, end)`.
///
/// A scheduled cron run's logical date is its `start`; it becomes due at its `end`.
/// An `@once` run and runs of unscheduled DAGs have `start == end`.
public struct DataInterval: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Inclusive start of the interval (the logical date of a scheduled run).
    public var start: Date
    /// Exclusive end of the interval (the time a scheduled run becomes due).
    public var end: Date

    /// Creates `[start, end)`.
    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// An interval that starts and ends at `date` (Airflow's `DataInterval.exact`).
    public static func exact(_ date: Date) -> DataInterval {
        DataInterval(start: date, end: date)
    }

    /// `[start, end)` in ISO-8601 UTC.
    public var description: String {
        "[\(CivilMinute.iso8601(start)), \(CivilMinute.iso8601(end)))"
    }
}
