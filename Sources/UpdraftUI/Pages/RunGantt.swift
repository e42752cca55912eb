import Foundation
import UpdraftCore

/// The Gantt chart of a run's tries: one row per try (start → end, coloured by the try's state),
/// failures first (tasks that failed or whose upstream failed at the top, then by start time), a
/// time axis relative to the first start, task ids as labels linking to the task instance page.
struct RunGantt {
    /// One row: a try, or a failed task that never ran (no times).
    struct Bar: Sendable, Hashable {
        var taskId: String
        var tryNumber: Int
        var state: TaskState
        var start: Date?
        var end: Date?
    }

    /// Most rows drawn; the rest are counted in a note.
    static let defaultLimit = 200

    /// Tasks in chart order: failed and upstream-failed first, then by start (unstarted last), then id.
    static func order(_ instances: [TaskInstance]) -> [TaskInstance] {
        instances.filter { $0.tryNumber > 0 || $0.state.isFailure || $0.startDate != nil }.sorted { a, b in
            let fa = a.state == .failed || a.state == .upstreamFailed
            let fb = b.state == .failed || b.state == .upstreamFailed
            if fa != fb { return fa }
            switch (a.startDate, b.startDate) {
            case (let x?, let y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.taskId < b.taskId
            }
        }
    }

    /// The rows of one task: its finished tries, then its current try when it is newer (ends `now`
    /// while it runs); a failed task with no try gets one row without times.
    static func bars(of instance: TaskInstance, tries: [TaskTry], now: Date) -> [Bar] {
        var bars = tries.sorted { $0.tryNumber < $1.tryNumber }.map {
            Bar(taskId: instance.taskId, tryNumber: $0.tryNumber, state: $0.state, start: $0.startDate, end: $0.endDate)
        }
        let last = bars.last?.tryNumber ?? 0
        if instance.tryNumber > last, let start = instance.startDate {
            let end = instance.endDate ?? (instance.state.isTerminal ? start : now)
            bars.append(Bar(taskId: instance.taskId, tryNumber: instance.tryNumber, state: instance.state, start: start, end: end))
        }
        if bars.isEmpty, instance.state.isFailure {
            bars.append(Bar(taskId: instance.taskId, tryNumber: max(instance.tryNumber, 1), state: instance.state))
        }
        return bars
    }

    var bars: [Bar]
    /// Tries left out of the chart.
    var hidden: Int
    /// Where a bar links (the task instance page at that try).
    var link: (Bar) -> String

    static let width = 960.0
    static let labelWidth = 300.0
    static let rowHeight = 20.0
    static let axisHeight = 22.0

    func render(_ html: inout HTML) {
        guard !bars.isEmpty else {
            html.element("p", ["class": "muted"], text: "No try has started yet.")
            return
        }
        let starts = bars.compactMap(\.start)
        let origin = starts.min() ?? Date(timeIntervalSince1970: 0)
        let finish = bars.compactMap { $0.end ?? $0.start }.max() ?? origin
        let span = max(finish.timeIntervalSince(origin), 0.001)
        let plot = Self.width - Self.labelWidth - 16
        let height = Self.axisHeight + Double(bars.count) * Self.rowHeight + 4
        func x(_ date: Date) -> Double { Self.labelWidth + date.timeIntervalSince(origin) / span * plot }
        html.open(
            "svg",
            [
                "class": "chart gantt", "xmlns": "http://www.w3.org/2000/svg", "role": "img",
                "aria-label": "Tries of the run over time, failures first",
                "viewBox": "0 0 " + n(Self.width) + " " + n(height), "width": n(Self.width), "height": n(height),
            ])
        // Axis: five ticks, labelled as time since the first start.
        for tick in 0...4 {
            let fraction = Double(tick) / 4
            let tx = Self.labelWidth + fraction * plot
            html.open("line", ["class": "grid-line", "x1": n(tx), "x2": n(tx), "y1": n(Self.axisHeight - 4), "y2": n(height)])
            html.close("line")
            html.element("text", ["x": n(tx), "y": "12", "text-anchor": tick == 0 ? "start" : tick == 4 ? "end" : "middle"]) {
                html in html.text(tick == 0 ? TimeText.short(origin) : "+" + TimeText.duration(span * fraction))
            }
        }
        for (row, bar) in bars.enumerated() {
            let top = Self.axisHeight + Double(row) * Self.rowHeight
            let style = StateStyle.of(bar.state)
            html.open("a", ["href": link(bar)])
            html.open("g", ["class": "row " + style.cssClass, "data-task": bar.taskId, "data-try": "\(bar.tryNumber)"])
            html.element("text", ["class": "label", "x": "0", "y": n(top + 14)]) { html in
                let name = bar.taskId.count > 40 ? "…" + String(bar.taskId.suffix(39)) : bar.taskId
                html.text(style.glyph + " " + name + (bar.tryNumber > 1 ? " #\(bar.tryNumber)" : ""))
            }
            if let start = bar.start {
                let left = x(start)
                let right = max(left + 2, x(bar.end ?? start))
                html.open(
                    "rect",
                    ["class": "bar", "x": n(left), "y": n(top + 3), "width": n(right - left), "height": n(Self.rowHeight - 6), "rx": "2"])
                html.element("title") { html in
                    let duration = bar.end.map { TimeText.duration($0.timeIntervalSince(start)) } ?? "running"
                    html.text("\(bar.taskId) try \(bar.tryNumber): \(style.label), \(duration)")
                }
                html.close("rect")
            } else {
                html.element("text", ["class": "note", "x": n(Self.labelWidth + 4), "y": n(top + 14)], text: style.label + ": did not run")
            }
            html.close("g")
            html.close("a")
        }
        html.close("svg")
        if hidden > 0 {
            html.element("p", ["class": "muted"]) { html in
                html.text(
                    "\(hidden) more tr\(hidden == 1 ? "y is" : "ies are") not shown (the chart keeps the \(bars.count) most relevant).")
            }
        }
    }

    private func n(_ value: Double) -> String { NumberText.string(value, decimals: 1) }
}
