/// One of the five fields of a cron expression, parsed into a set of allowed values.
struct CronField: Hashable, Sendable {
    /// Which field this is, with its name, bounds and value names.
    enum Kind: Int, Sendable, CaseIterable {
        case minute, hour, dayOfMonth, month, dayOfWeek

        var name: String {
            switch self {
            case .minute: "minute"
            case .hour: "hour"
            case .dayOfMonth: "day-of-month"
            case .month: "month"
            case .dayOfWeek: "day-of-week"
            }
        }

        /// Allowed written values (day-of-week accepts 7 as Sunday).
        var bounds: ClosedRange<Int> {
            switch self {
            case .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        /// Values after folding (day-of-week 7 → 0).
        var valueRange: ClosedRange<Int> { self == .dayOfWeek ? 0...6 : bounds }

        var names: [String] {
            switch self {
            case .month:
                [
                    "JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                    "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
                ]
            case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            default: []
            }
        }

        /// The value a name stands for (JAN → 1, SUN → 0), case-insensitive.
        func value(named name: String) -> Int? {
            guard let index = names.firstIndex(of: name.uppercased()) else { return nil }
            return self == .month ? index + 1 : index
        }
    }

    let kind: Kind
    /// Bit `v` set ⇔ value `v` allowed.
    let bits: UInt64

    /// True when every value of the field is allowed (croniter treats it as `*`).
    var isUnrestricted: Bool {
        let range = kind.valueRange
        let full = (UInt64(1) << UInt64(range.upperBound + 1)) - (UInt64(1) << UInt64(range.lowerBound))
        return bits == full
    }

    func contains(_ value: Int) -> Bool { bits & (UInt64(1) << UInt64(value)) != 0 }

    /// Smallest allowed value ≥ `value`, if any.
    func first(atLeast value: Int) -> Int? {
        guard value <= 63 else { return nil }
        let masked = bits & ~((UInt64(1) << UInt64(max(value, 0))) &- 1)
        return masked == 0 ? nil : masked.trailingZeroBitCount
    }

    /// Largest allowed value ≤ `value`, if any.
    func last(atMost value: Int) -> Int? {
        guard value >= 0 else { return nil }
        let masked = value >= 63 ? bits : bits & ((UInt64(1) << UInt64(value + 1)) &- 1)
        return masked == 0 ? nil : 63 - masked.leadingZeroBitCount
    }

    /// Parses `text` (e.g. `*/15`, `1-10/2`, `MON-FRI`, `1,15,30`).
    init(_ text: String, kind: Kind, expression: String) throws(ScheduleError) {
        self.kind = kind
        func fail(_ reason: String) -> ScheduleError {
            ScheduleError(expression: expression, field: kind.name, reason: reason)
        }
        var bits: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw fail("\(kind.name) '\(text)' has an empty list item") }
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw fail("\(kind.name) '\(item)' has more than one '/'") }
            var step = 1
            if parts.count == 2 {
                guard let parsed = Int(parts[1]), !parts[1].hasPrefix("+"), !parts[1].hasPrefix("-") else {
                    throw fail("\(kind.name) step '\(parts[1])' in '\(item)' is not a number")
                }
                guard parsed >= 1 else { throw fail("\(kind.name) step \(parsed) in '\(item)' must be at least 1") }
                step = parsed
            }
            let rangeText = parts[0]
            var low: Int, high: Int
            if rangeText == "*" {
                (low, high) = (kind.valueRange.lowerBound, kind.valueRange.upperBound)
            } else {
                let ends = rangeText.split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count <= 2, !ends.contains(where: \.isEmpty) else {
                    throw fail("\(kind.name) '\(item)' is not a value, range or step")
                }
                low = try Self.value(String(ends[0]), kind: kind, fail: fail)
                high =
                    ends.count == 2
                    ? try Self.value(String(ends[1]), kind: kind, fail: fail)
                    : (parts.count == 2 ? kind.bounds.upperBound : low)
                if kind == .dayOfWeek, ends.count == 1, parts.count == 2 { high = 6 }
                // `FRI-SUN` / `5-0`: Sunday written as 0 closes a range as 7 does.
                if kind == .dayOfWeek, ends.count == 2, high == 0, low > 0 { high = 7 }
                guard low <= high else {
                    throw fail("\(kind.name) range \(rangeText) is reversed (\(low) > \(high))")
                }
            }
            for value in stride(from: low, through: high, by: step) {
                let folded = kind == .dayOfWeek && value == 7 ? 0 : value
                bits |= UInt64(1) << UInt64(folded)
            }
        }
        self.bits = bits
    }

    private static func value(_ text: String, kind: Kind, fail: (String) -> ScheduleError) throws(ScheduleError) -> Int {
        if let named = kind.value(named: text) { return named }
        guard text.allSatisfy(\.isASCII), let number = Int(text), !text.hasPrefix("+") else {
            let hint =
                kind.names.isEmpty
                ? "is not a number"
                : "is not a number or a name (\(kind.names.first!)–\(kind.names.last!))"
            throw fail("\(kind.name) '\(text)' \(hint)")
        }
        guard kind.bounds.contains(number) else {
            throw fail("\(kind.name) \(number) is out of range \(kind.bounds.lowerBound)–\(kind.bounds.upperBound)")
        }
        return number
    }
}
