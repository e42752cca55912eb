import Foundation
import UpdraftCore

/// How a state looks everywhere in the UI: a CSS class (`s-<state>`, its colour in both themes),
/// a glyph and a label, so that a state never depends on colour alone.
public struct StateStyle: Sendable, Hashable {
    /// `s-success`, `s-up_for_retry`, … (the stylesheet's colours).
    public var cssClass: String
    /// One character shown in the cell or badge.
    public var glyph: String
    /// The state's name as users read it (`up for retry`).
    public var label: String

    public init(cssClass: String, glyph: String, label: String) {
        self.cssClass = cssClass; self.glyph = glyph; self.label = label
    }

    /// The style of a task state.
    public static func of(_ state: TaskState) -> StateStyle {
        StateStyle(
            cssClass: "s-" + state.rawValue, glyph: glyph(state.rawValue), label: state.rawValue.replacingOccurrences(of: "_", with: " "))
    }

    /// The style of a run state.
    public static func of(_ state: RunState) -> StateStyle {
        StateStyle(cssClass: "s-" + state.rawValue, glyph: glyph(state.rawValue), label: state.rawValue)
    }

    /// No run or no task instance there.
    public static let empty = StateStyle(cssClass: "s-empty", glyph: "", label: "no task")

    /// Glyphs by state name (task and run states share names).
    static func glyph(_ name: String) -> String {
        switch name {
        case "success": "✓"
        case "failed": "✗"
        case "running": "▶"
        case "queued": "…"
        case "scheduled": "◷"
        case "up_for_retry": "↻"
        case "upstream_failed": "⤒"
        case "skipped": "»"
        case "removed": "–"
        case "interrupted": "↯"
        default: "○"
        }
    }

    /// Task states in the order a group's rolled-up state picks them: the first present wins.
    public static let rollupOrder: [TaskState] = [
        .failed, .upstreamFailed, .upForRetry, .running, .queued, .scheduled, .none, .interrupted, .skipped, .removed,
        .success,
    ]

    /// The state a group shows for these counts: failure first, then activity, then done
    /// (`success` only when every task succeeded or was skipped).
    public static func rollup(_ counts: [TaskState: Int]) -> TaskState? {
        guard counts.values.contains(where: { $0 > 0 }) else { return nil }
        if (counts[.success] ?? 0) + (counts[.skipped] ?? 0) + (counts[.removed] ?? 0) == counts.values.reduce(0, +) {
            return (counts[.success] ?? 0) > 0 ? .success : .skipped
        }
        return rollupOrder.first { (counts[$0] ?? 0) > 0 }
    }
}

extension HTML {
    /// A state badge: glyph and label in the state's colours.
    public mutating func badge(_ style: StateStyle) {
        element("span", ["class": "badge " + style.cssClass]) { html in
            html.element("span", ["class": "g", "aria-hidden": "true"], text: style.glyph)
            html.text(" " + style.label)
        }
    }
}
