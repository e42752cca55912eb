/// HTML (and inline SVG) written straight into UTF-8 bytes. Markup comes only from string
/// literals (`StaticString`), and every `String` that reaches the page goes through ``text(_:)``
/// or an attribute value, both escaped: a DAG param or a log line holding `<script>` shows as
/// text, and no page can forget to escape.
///
/// ```swift
/// var html = HTML()
/// html.element("a", ["href": "/dags/" + dagId, "class": "dag"]) { html in html.text(dagId) }
/// html.element("td", ["class": "s-failed", "title": nil], text: "✗")   // nil leaves the attribute out
/// ```
public struct HTML: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 8192) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Trusted markup: a literal of the program, never data.
    public mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `value` as text, with `&`, `<`, `>`, `"` and `'` escaped.
    public mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "&"): append("&amp;")
                case UInt8(ascii: "<"): append("&lt;")
                case UInt8(ascii: ">"): append("&gt;")
                case UInt8(ascii: "\""): append("&quot;")
                case UInt8(ascii: "'"): append("&#39;")
                default: bytes.append(byte)
                }
            }
        }
    }

    /// An integer as text.
    public mutating func text(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            text(UInt(value.magnitude))
        } else {
            text(UInt(value))
        }
    }

    private mutating func text(_ value: UInt) {
        if value >= 10 { text(value / 10) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// A number with at most `decimals` digits after the point (SVG coordinates, prices).
    public mutating func number(_ value: Double, decimals: Int = 2) {
        NumberText.append(value, decimals: decimals, to: &bytes)
    }

    /// `<tag a="v" …>`; attributes whose value is nil are left out, an empty value is written bare
    /// (`<input checked>`).
    public mutating func open(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String?> = [:]) {
        bytes.append(UInt8(ascii: "<"))
        raw(tag)
        for (name, value) in attributes {
            guard let value else { continue }
            bytes.append(UInt8(ascii: " "))
            raw(name)
            if value.isEmpty { continue }
            append("=\"")
            text(value)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: ">"))
    }

    /// `</tag>`.
    public mutating func close(_ tag: StaticString) {
        append("</")
        raw(tag)
        bytes.append(UInt8(ascii: ">"))
    }

    /// `<tag …>` content `</tag>`.
    public mutating func element(
        _ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String?> = [:], _ content: (inout HTML) -> Void
    ) {
        open(tag, attributes)
        content(&self)
        close(tag)
    }

    /// `<tag …>` escaped text `</tag>`.
    public mutating func element(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String?> = [:], text value: String) {
        open(tag, attributes)
        text(value)
        close(tag)
    }

    /// Another writer's output (a chart drawn apart, a fragment shared by a page and its update).
    public mutating func append(_ other: HTML) { bytes.append(contentsOf: other.bytes) }

    private mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// The bytes as a string (tests).
    public var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// Fast decimal text of a `Double` without Foundation's formatter.
public enum NumberText {
    /// Appends `value` rounded to `decimals` (0 to 8) digits, trailing zeros dropped; NaN and
    /// infinities as `0`.
    public static func append(_ value: Double, decimals: Int, to bytes: inout [UInt8]) {
        guard value.isFinite else { bytes.append(UInt8(ascii: "0")); return }
        let decimals = max(0, min(8, decimals))
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        var scaled = (abs(value) * scale).rounded()
        if scaled >= 9e18 { scaled = 9e18 }
        var integer = UInt64(scaled)
        if integer == 0 { bytes.append(UInt8(ascii: "0")); return }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: [UInt8] = []
        var fraction = decimals
        // Drop trailing zeros of the fraction.
        while fraction > 0, integer % 10 == 0 {
            integer /= 10
            fraction -= 1
        }
        var position = 0
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(integer % 10))
            integer /= 10
            position += 1
            if position == fraction { digits.append(UInt8(ascii: ".")) }
        } while integer > 0 || position < fraction
        if digits.last == UInt8(ascii: ".") { digits.append(UInt8(ascii: "0")) }
        bytes.append(contentsOf: digits.reversed())
    }

    /// `value` as text (see ``append(_:decimals:to:)``).
    public static func string(_ value: Double, decimals: Int = 2) -> String {
        var bytes: [UInt8] = []
        append(value, decimals: decimals, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
