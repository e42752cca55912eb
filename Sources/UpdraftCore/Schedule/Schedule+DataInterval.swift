import Foundation

/// Data intervals with Airflow 2's `CronDataIntervalTimetable` semantics.
///
/// A cron run covers `[t_i, t_{i+1})` between consecutive fire times; its logical date is
/// `t_i` and it becomes due at `t_{i+1}`. `@once` is one exact interval at the start date.
extension Schedule {
    /// The next interval to run now, or nil when nothing is due at `now`.
    ///
    /// - Parameters:
    ///   - last: the interval of the latest scheduled (automated) run, if any.
    ///   - startDate: the DAG's start date; no interval starts before its first fire time.
    ///   - catchup: true → one run per interval since `last` (or `startDate`);
    ///     false → only the latest complete interval.
    ///   - now: the current time (passed in; this module has no clock).
    public func nextDataInterval(
        after last: DataInterval?, startDate: Date, catchup: Bool,
        now: Date
    ) -> DataInterval? {
        guard let candidate = nextCandidate(after: last, startDate: startDate, catchup: catchup, now: now),
            dueDate(of: candidate) <= now
        else { return nil }
        return candidate
    }

    /// When the next interval becomes due (maybe already in the past), or nil if no run
    /// will ever be due (`.none`, or `@once` after its run).
    public func nextDueDate(after last: DataInterval?, startDate: Date, catchup: Bool, now: Date) -> Date? {
        nextCandidate(after: last, startDate: startDate, catchup: catchup, now: now).map(dueDate(of:))
    }

    /// Backfill: the intervals whose logical dates (starts) lie in `[from, to]`, in order.
    /// The first logical date is `from` aligned to the next fire time. `@once` → one exact
    /// interval at `from`; `.none` → none.
    public func dataIntervals(from: Date, to: Date) -> [DataInterval] {
        guard from <= to else { return [] }
        switch self {
        case .none:
            return []
        case .once:
            return [.exact(from)]
        case .cron(let cron):
            var result: [DataInterval] = []
            guard var start = cron.alignedToNext(from) else { return [] }
            while start <= to, let end = cron.next(after: start) {
                result.append(DataInterval(start: start, end: end))
                start = end
            }
            return result
        }
    }

    /// The interval of a manually triggered run (Airflow's `infer_manual_data_interval`):
    /// for cron, the last complete interval ending at or before `logicalDate`
    /// (`@daily` at 2024-01-25T01:00 → [01-24, 01-25)); otherwise `[logicalDate, logicalDate]`.
    public func dataInterval(forLogicalDate logicalDate: Date) -> DataInterval {
        guard case .cron(let cron) = self,
            let end = cron.alignedToPrevious(logicalDate),
            let start = cron.previous(before: end)
        else { return .exact(logicalDate) }
        return DataInterval(start: start, end: end)
    }

    // MARK: Airflow's next_dagrun_info

    private func dueDate(of interval: DataInterval) -> Date {
        self == .once ? interval.start : interval.end
    }

    private func nextCandidate(
        after last: DataInterval?, startDate: Date, catchup: Bool,
        now: Date
    ) -> DataInterval? {
        switch self {
        case .none:
            return nil
        case .once:
            return last == nil ? .exact(startDate) : nil
        case .cron(let cron):
            guard var earliest = cron.alignedToNext(startDate) else { return nil }
            if !catchup, let latest = cron.latestCompleteIntervalStart(at: now) {
                earliest = max(earliest, latest)
            }
            var start = earliest
            if let last, let alignedEnd = cron.alignedToPrevious(last.end) {
                start = max(alignedEnd, earliest)
            }
            guard let end = cron.next(after: start) else { return nil }
            return DataInterval(start: start, end: end)
        }
    }
}

extension CronExpression {
    /// `date` when it is a fire time, else the next fire time.
    func alignedToNext(_ date: Date) -> Date? {
        matches(date) ? date : next(after: date)
    }

    /// `date` when it is a fire time, else the previous fire time.
    func alignedToPrevious(_ date: Date) -> Date? {
        matches(date) ? date : previous(before: date)
    }

    /// Start of the latest interval whose end is at or before `now`.
    func latestCompleteIntervalStart(at now: Date) -> Date? {
        alignedToPrevious(now).flatMap { previous(before: $0) }
    }
}
