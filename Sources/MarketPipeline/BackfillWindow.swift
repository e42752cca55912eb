import Foundation

/// Where `historical`'s backfill window starts: `data.history_months` whole months back.
public enum BackfillWindow {
    /// The first day (UTC) of the month `months` whole months before the month of `end`.
    public static func start(end: Date, months: Int) -> Date {
        let monthStart = Calendar.utc.dateInterval(of: .month, for: end)!.start
        return Calendar.utc.date(byAdding: .month, value: -months, to: monthStart)!
    }
}
