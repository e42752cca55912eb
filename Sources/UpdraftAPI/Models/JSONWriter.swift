import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// Writes JSON text straight into a byte buffer: the API answers with thousands of objects per
/// response, and building them through `JSONEncoder` costs several times more.
///
/// ```swift
/// var json = JSONWriter()
/// json.object { o in o.field("dag_id", "etl"); o.field("is_paused", false) }
/// ```
public struct JSONWriter: Sendable {
    /// The text written so far (UTF-8).
    public internal(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    private init(taking other: inout [UInt8]) { swap(&bytes, &other) }

    /// Writes an object whose fields `body` adds.
    public mutating func object(_ body: (inout ObjectWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        // The object writer takes the buffer for its lifetime (a swap, no copy), then gives it back.
        var writer = ObjectWriter(json: JSONWriter(taking: &bytes))
        body(&writer)
        swap(&bytes, &writer.json.bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    /// Writes an array with one element per item.
    public mutating func array<S: Sequence>(_ items: S, _ element: (inout JSONWriter, S.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for item in items {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                switch byte {
                case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func int(_ value: Int) {
        guard value >= 0 else { return bytes.append(contentsOf: String(value).utf8) }
        if value < 10 { return bytes.append(UInt8(48 + value)) }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[19 - count] = UInt8(48 + rest % 10)
                rest /= 10
                count += 1
            }
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }
    public mutating func int64(_ value: Int64) { bytes.append(contentsOf: String(value).utf8) }
    public mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    public mutating func null() { bytes.append(contentsOf: "null".utf8) }

    /// A finite double as JSON; NaN and infinities (which JSON cannot carry) as null.
    public mutating func double(_ value: Double) {
        guard value.isFinite else { return null() }
        if value.rounded() == value, abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else {
            bytes.append(contentsOf: "\(value)".utf8)
        }
    }

    /// An ISO 8601 UTC timestamp with microseconds, as Airflow writes them.
    public mutating func date(_ value: Date) {
        bytes.append(UInt8(ascii: "\""))
        APIDate.write(value, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let number): double(number)
        case .string(let text): string(text)
        case .array(let items): array(items) { json, item in json.value(item) }
        case .object(let fields):
            object { o in for key in fields.keys.sorted() { o.field(escaping: key, fields[key]!) } }
        }
    }

    /// Raw JSON text, already valid (e.g. a nested document written elsewhere).
    public mutating func raw(_ text: [UInt8]) { bytes.append(contentsOf: text) }
}

/// Adds the fields of one JSON object; the comma between fields is its business.
public struct ObjectWriter {
    var json: JSONWriter
    var first = true

    mutating func key(_ name: String) {
        if !first { json.bytes.append(UInt8(ascii: ",")) }
        first = false
        // Field names given here are the API's own, plain ASCII that needs no escaping; names
        // that come from data (a conf's keys) go through `field(escaping:_:)`.
        json.bytes.append(UInt8(ascii: "\""))
        json.bytes.append(contentsOf: name.utf8)
        json.bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    public mutating func field(_ name: String, _ value: String) { key(name); json.string(value) }
    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        if let value { json.string(value) } else { json.null() }
    }
    public mutating func field(_ name: String, _ value: Int) { key(name); json.int(value) }
    public mutating func field(_ name: String, _ value: Int?) {
        key(name)
        if let value { json.int(value) } else { json.null() }
    }
    public mutating func field(_ name: String, _ value: Int64) { key(name); json.int64(value) }
    public mutating func field(_ name: String, _ value: Bool) { key(name); json.bool(value) }
    public mutating func field(_ name: String, _ value: Double?) {
        key(name)
        if let value { json.double(value) } else { json.null() }
    }
    public mutating func field(_ name: String, _ value: Date) { key(name); json.date(value) }
    public mutating func field(_ name: String, _ value: Date?) {
        key(name)
        if let value { json.date(value) } else { json.null() }
    }
    public mutating func field(_ name: String, _ value: JSONValue) { key(name); json.value(value) }
    /// A field whose name comes from data (escaped like any string).
    public mutating func field(escaping name: String, _ value: JSONValue) {
        if !first { json.bytes.append(UInt8(ascii: ",")) }
        first = false
        json.string(name)
        json.bytes.append(UInt8(ascii: ":"))
        json.value(value)
    }
    public mutating func field(_ name: String, object fields: [String: JSONValue]) { key(name); json.value(.object(fields)) }
    public mutating func field(_ name: String, strings: [String]) {
        key(name)
        json.array(strings) { json, text in json.string(text) }
    }
    /// A nested value written by `body`.
    public mutating func field(_ name: String, _ body: (inout JSONWriter) -> Void) { key(name); body(&json) }
    public mutating func nullField(_ name: String) { key(name); json.null() }
}

/// Dates as the API writes and reads them: ISO 8601 in UTC.
public enum APIDate {
    /// `2026-12-06T05:00:00.123456Z`, without Foundation's formatters (thousands per response).
    public static func format(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        write(date, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the 27 bytes of `format(date)` (years 0 to 9999) with integer arithmetic only.
    public static func write(_ date: Date, into bytes: inout [UInt8]) {
        let interval = date.timeIntervalSince1970
        var seconds = Int64(interval.rounded(.down))
        var micros = Int64(((interval - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 { seconds += 1; micros -= 1_000_000 }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        // Filled on the stack, appended once (a byte-by-byte append checks uniqueness each time).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 27) { text in
            func put(_ value: Int64, at start: Int, width: Int) {
                var rest = value
                for index in stride(from: start + width - 1, through: start, by: -1) {
                    text[index] = UInt8(48 + rest % 10)
                    rest /= 10
                }
            }
            put(year, at: 0, width: 4); text[4] = 45; put(month, at: 5, width: 2); text[7] = 45; put(day, at: 8, width: 2)
            text[10] = 84; put(secondOfDay / 3600, at: 11, width: 2); text[13] = 58; put(secondOfDay / 60 % 60, at: 14, width: 2)
            text[16] = 58; put(secondOfDay % 60, at: 17, width: 2); text[19] = 46; put(micros, at: 20, width: 6); text[26] = 90
            bytes.append(contentsOf: UnsafeBufferPointer(text))
        }
    }

    /// Parses ISO 8601 with a zone (`Z` or `±hh:mm`), with or without fractions; a date alone
    /// (`2026-12-06`) is midnight UTC. Nil for anything else (no zone means no answer).
    public static func parse(_ text: String) -> Date? {
        let utf8 = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= utf8.count else { return nil }
            var value = 0
            for index in range {
                let byte = utf8[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), utf8.count >= 10, utf8[4] == 45, let month = number(5..<7), utf8[7] == 45,
            let day = number(8..<10), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let dayStart = Double(daysFromCivil(year, month, day)) * 86_400
        if utf8.count == 10 { return Date(timeIntervalSince1970: dayStart) }
        guard utf8.count >= 19, utf8[10] == 84 || utf8[10] == 116 || utf8[10] == 32, let hour = number(11..<13),
            utf8[13] == 58, let minute = number(14..<16), utf8[16] == 58, let second = number(17..<19),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < utf8.count, utf8[index] == 46 {
            index += 1
            var scale = 0.1
            let start = index
            while index < utf8.count, utf8[index] >= 48, utf8[index] <= 57 {
                fraction += Double(utf8[index] - 48) * scale
                scale /= 10
                index += 1
            }
            if index == start { return nil }
        }
        guard index < utf8.count else { return nil }
        var offset = 0
        if utf8[index] == 90 || utf8[index] == 122 {
            index += 1
        } else if utf8[index] == 43 || utf8[index] == 45 {
            let sign = utf8[index] == 45 ? -1 : 1
            guard let hours = number(index + 1..<index + 3) else { return nil }
            var minutes = 0
            if index + 3 < utf8.count {
                let colon = utf8[index + 3] == 58 ? 1 : 0
                guard let parsed = number(index + 3 + colon..<index + 5 + colon) else { return nil }
                minutes = parsed
                index += 5 + colon
            } else {
                index += 3
            }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard index == utf8.count else { return nil }
        let seconds = dayStart + Double(hour * 3600 + minute * 60 + second) + fraction - Double(offset)
        return Date(timeIntervalSince1970: seconds)
    }

    /// Howard Hinnant's `civil_from_days`.
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Howard Hinnant's `days_from_civil`.
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
