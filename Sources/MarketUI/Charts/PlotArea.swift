import Foundation
import MarketData
import UpdraftUI

/// The drawing frame of one SVG chart: a viewBox `width` × `height`, the plot inside its margins,
/// a time domain (µs) along x and a value domain along y. Every chart of the market page shares
/// the same width and time domain, so their x positions line up.
///
/// ```swift
/// let area = PlotArea(height: 120, times: from..<to, low: 0, high: 100)
/// area.x(time)   // viewBox x of a time
/// ```
struct PlotArea {
    /// ViewBox width of every chart.
    static let width = 1000.0
    /// Left margin (price labels), right margin, top and bottom (time labels).
    static let left = 64.0, right = 8.0, top = 8.0, bottom = 18.0

    let height: Double
    let from: Int64
    let to: Int64
    let low: Double
    let high: Double

    /// A frame over [from, to) whose value domain is [low, high] (widened when empty).
    init(height: Double, from: Int64, to: Int64, low: Double, high: Double) {
        self.height = height
        self.from = from
        self.to = max(to, from + 1)
        if low.isFinite, high.isFinite, high > low {
            self.low = low; self.high = high
        } else if low.isFinite {
            self.low = low - 1; self.high = low + 1
        } else {
            self.low = 0; self.high = 1
        }
    }

    var plotLeft: Double { Self.left }
    var plotRight: Double { Self.width - Self.right }
    var plotTop: Double { Self.top }
    var plotBottom: Double { height - Self.bottom }

    /// The x of `time` (µs).
    func x(_ time: Int64) -> Double {
        plotLeft + Double(time - from) / Double(to - from) * (plotRight - plotLeft)
    }

    /// The width of a span of `micros`.
    func width(of micros: Int64) -> Double { Double(micros) / Double(to - from) * (plotRight - plotLeft) }

    /// The y of `value`.
    func y(_ value: Double) -> Double {
        plotBottom - (value - low) / (high - low) * (plotBottom - plotTop)
    }

    /// `<svg class="chart …" viewBox=…>`: the caller adds the content and closes it.
    func open(_ html: inout HTML, classes: String, label: String) {
        html.open(
            "svg",
            [
                "class": classes, "viewBox": "0 0 \(Int(Self.width)) \(Int(height))", "role": "img", "aria-label": label,
            ])
    }

    /// Value gridlines with labels on the left, at "nice" steps.
    func valueAxis(_ html: inout HTML, decimals: Int, ticks: Int = 4) {
        for value in NiceTicks.values(low: low, high: high, count: ticks) {
            let y = NumberText.string(self.y(value))
            html.shape(
                "line", ["class": "grid-line", "x1": NumberText.string(plotLeft), "x2": NumberText.string(plotRight), "y1": y, "y2": y])
            html.element("text", ["x": NumberText.string(plotLeft - 4), "y": NumberText.string(self.y(value) + 3), "text-anchor": "end"]) {
                html in html.number(value, decimals: decimals)
            }
        }
    }

    /// The time axis along the bottom, labels at "nice" UTC steps.
    func timeAxis(_ html: inout HTML) {
        html.shape(
            "line",
            [
                "class": "axis", "x1": NumberText.string(plotLeft), "x2": NumberText.string(plotRight),
                "y1": NumberText.string(plotBottom), "y2": NumberText.string(plotBottom),
            ])
        let step = NiceTicks.timeStep(span: to - from)
        for time in NiceTicks.times(from: from, to: to, step: step) {
            html.element("text", ["x": NumberText.string(x(time)), "y": NumberText.string(height - 4), "text-anchor": "middle"]) {
                html in html.text(NiceTicks.timeLabel(time, step: step))
            }
        }
    }

    /// The `data-zoom` attributes for the script's drag zoom (times in epoch ms).
    var zoomEdges: (left: String, right: String, timeLeft: String, timeRight: String) {
        (NumberText.string(plotLeft), NumberText.string(plotRight), String(from / 1000), String(to / 1000))
    }
}
