// TEMPORARY: stands in for support's Schedule/ (contract C2) until it is merged. Deleted on merge.
import Foundation

public struct ScheduleError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

public struct DataInterval: Sendable, Hashable, Codable {
    public var start: Date
    public var end: Date
    public init(start: Date, end: Date) { self.start = start; self.end = end }
}

public enum Schedule: Sendable, Hashable, CustomStringConvertible {
    case none
    case once
    case daily
    public init(_ text: String?) throws(ScheduleError) {
        switch text {
        case nil, "none": self = .none
        case "@once": self = .once
        case "@daily", "0 0 * * *": self = .daily
        default: throw ScheduleError(description: "bad cron '\(text ?? "")'")
        }
    }
    public var description: String {
        switch self { case .none: "none"; case .once: "@once"; case .daily: "0 0 * * *" }
    }
    public func nextDataInterval(after last: DataInterval?, startDate: Date, catchup: Bool, now: Date) -> DataInterval? {
        switch self {
        case .none: return nil
        case .once: return last == nil ? DataInterval(start: startDate, end: startDate) : nil
        case .daily:
            let start = last?.end ?? startDate
            let end = start.addingTimeInterval(86_400)
            return end <= now ? DataInterval(start: start, end: end) : nil
        }
    }
    public func nextDueDate(after last: DataInterval?, startDate: Date, catchup: Bool, now: Date) -> Date? {
        switch self {
        case .none: return nil
        case .once: return last == nil ? startDate : nil
        case .daily: return (last?.end ?? startDate).addingTimeInterval(86_400)
        }
    }
    public func dataIntervals(from: Date, to: Date) -> [DataInterval] {
        var result: [DataInterval] = []
        var start = from
        while start <= to { result.append(dataInterval(forLogicalDate: start)); start += 86_400 }
        return result
    }
    public func dataInterval(forLogicalDate date: Date) -> DataInterval {
        switch self {
        case .daily: DataInterval(start: date, end: date.addingTimeInterval(86_400))
        default: DataInterval(start: date, end: date)
        }
    }
}
