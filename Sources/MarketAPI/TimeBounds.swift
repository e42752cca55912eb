import Foundation
import MarketPipeline
import UpdraftAPI
import UpdraftCore

/// The `from` (inclusive) and `to` (exclusive) query parameters of the market routes, in µs:
/// ISO 8601 with a zone (`2024-09-21T00:00:00Z`, or a date alone, midnight UTC) or epoch
/// milliseconds (`1726876800000`). Either may be left out (unbounded). The market API and the
/// market pages parse them alike.
///
/// ```swift
/// let bounds = try TimeBounds.parse(from: "2024-09-21", to: "1726963200000")
/// ```
public struct TimeBounds: Sendable, Equatable {
    /// Start, inclusive, µs; nil for unbounded.
    public var from: Int64?
    /// End, exclusive, µs; nil for unbounded.
    public var to: Int64?

    /// Bounds in µs.
    public init(from: Int64?, to: Int64?) { self.from = from; self.to = to }

    static let parameters: [QueryParameter] = [
        .init(
            "from", .string,
            "Start, inclusive: ISO 8601 with a zone (`2024-09-21T00:00:00Z`, or a date, midnight UTC) or epoch milliseconds."),
        .init("to", .string, "End, exclusive: the same forms as `from`."),
    ]

    /// The bounds of `request`; a 422 in FastAPI's shape naming the parameter at fault.
    static func parse(_ request: APIRequest) throws(APIError) -> TimeBounds {
        try parse(from: request.string("from"), to: request.string("to"))
    }

    /// The bounds of the texts of `from` and `to` (nil: unbounded); a 422 in FastAPI's shape
    /// naming the parameter at fault.
    public static func parse(from fromText: String?, to toText: String?) throws(APIError) -> TimeBounds {
        var issues: [ValidationIssue] = []
        func read(_ name: String) -> Int64? {
            guard let text = name == "from" ? fromText : toText else { return nil }
            guard let micros = microseconds(text) else {
                issues.append(
                    ValidationIssue(
                        type: "value_error", loc: ["query", name],
                        msg: "Value error, expected an ISO 8601 date-time with a zone, a date, or epoch milliseconds",
                        input: .string(text)))
                return nil
            }
            return micros
        }
        let bounds = TimeBounds(from: read("from"), to: read("to"))
        if let from = bounds.from, let to = bounds.to, to <= from {
            issues.append(
                ValidationIssue(
                    type: "value_error", loc: ["query", "to"], msg: "Value error, `to` must be after `from`",
                    input: .string(toText ?? "")))
        }
        if !issues.isEmpty { throw APIError(validation: issues) }
        return bounds
    }

    /// µs since the epoch of `text`: digits (with an optional `-`) are epoch milliseconds,
    /// anything else ISO 8601 (``APIDate/parse(_:)``). Nil when it is neither, or out of range.
    public static func microseconds(_ text: String) -> Int64? {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        if !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            guard let millis = Int64(text) else { return nil }
            let (micros, overflow) = millis.multipliedReportingOverflow(by: 1000)
            return overflow ? nil : micros
        }
        guard let date = APIDate.parse(text), abs(date.timeIntervalSince1970) < 9e12 else { return nil }
        return date.micros
    }

    /// The bounds rounded up to the grid of `step` µs (buckets counted from the epoch): with
    /// them a range holds the whole buckets whose open times fall in [from, to).
    public func alignedUp(to step: Int64) -> TimeBounds {
        func up(_ value: Int64?) -> Int64? {
            guard let value else { return nil }
            let remainder = ((value % step) + step) % step
            if remainder == 0 { return value }
            let (next, overflow) = (value - remainder).addingReportingOverflow(step)
            return overflow ? .max : next
        }
        return TimeBounds(from: up(from), to: up(to))
    }
}
