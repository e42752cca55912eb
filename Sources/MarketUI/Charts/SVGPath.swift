import UpdraftUI

/// The `d` of an SVG path built from numbers (2 decimals), broken where a value is missing.
///
/// ```swift
/// var path = SVGPath()
/// for (x, y) in points { path.point(x, y) }   // NaN y: the line stops, the next point moves
/// html.shape("path", ["class": "line", "d": path.text])
/// ```
struct SVGPath {
    private var bytes: [UInt8] = []
    private var pen = false

    /// Whether nothing was drawn.
    var isEmpty: Bool { bytes.isEmpty }

    /// Continues the line to (x, y), or starts one; a non-finite y lifts the pen.
    mutating func point(_ x: Double, _ y: Double) {
        guard y.isFinite else { pen = false; return }
        bytes.append(pen ? UInt8(ascii: "L") : UInt8(ascii: "M"))
        NumberText.append(x, decimals: 2, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        NumberText.append(y, decimals: 2, to: &bytes)
        pen = true
    }

    /// Lifts the pen: the next point starts a new line.
    mutating func lift() { pen = false }

    /// A closed rectangle from (x0, y0) to (x1, y1).
    mutating func rectangle(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) {
        lift(); point(x0, y0); point(x1, y0); point(x1, y1); point(x0, y1)
        bytes.append(UInt8(ascii: "Z"))
        lift()
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}
