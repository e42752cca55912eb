import UpdraftCore

/// Draws a ``GraphScene`` as inline SVG: boxes of expanded groups (dashed, labelled, with a link
/// that collapses them), edges as cubic curves with arrowheads, then the nodes. A node in a run is
/// `<g class="node … s-<state> st">` with the state's glyph in its label, so colour is never the
/// only cue; a task links to its task instance, a collapsed group to the page with it expanded.
struct GraphDrawing {
    /// Where a task node leads (nil: no link).
    var taskLink: (String) -> String?
    /// The page with this group expanded, or (for a box) collapsed.
    var expandLink: (String) -> String
    var collapseLink: (String) -> String

    static let taskHeight = 30.0
    static let groupHeight = 44.0
    static let maxLabel = 34

    /// The size of a node's rectangle.
    static func size(_ node: GraphScene.Node) -> (Double, Double) {
        let characters = Double(min(label(node).count, maxLabel) + 2)
        let width = max(node.isGroup ? 120 : 80, min(260, characters * 6.6 + 22))
        return (width, node.isGroup ? groupHeight : taskHeight)
    }

    static func label(_ node: GraphScene.Node) -> String {
        let text = node.label.count > maxLabel ? String(node.label.prefix(maxLabel - 1)) + "…" : node.label
        guard let state = node.state else { return node.kind == .factory ? "⇶ " + text : text }
        return StateStyle.of(state).glyph + " " + text
    }

    /// Lays the scene out and writes the `<svg>`.
    func render(_ html: inout HTML, _ scene: GraphScene, title: String) {
        let layout = LayeredLayout.layout(
            nodes: scene.nodes.map { node in
                let (w, h) = Self.size(node)
                return LayeredLayout.Node(width: w, height: h, box: node.box)
            },
            boxes: scene.boxes.map { LayeredLayout.Box(parent: $0.parent) }, edges: scene.edges)
        let margin = 8.0
        let width = layout.width + 2 * margin + 12
        let height = max(layout.height + 2 * margin, 40)
        html.open(
            "svg",
            [
                "class": "chart graph", "xmlns": "http://www.w3.org/2000/svg", "role": "img", "aria-label": title,
                "viewBox": "0 0 " + NumberText.string(width, decimals: 0) + " " + NumberText.string(height, decimals: 0),
                "width": NumberText.string(width, decimals: 0), "height": NumberText.string(height, decimals: 0),
            ])
        html.raw(
            "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path class=\"arrowhead\" d=\"M0 0L10 5L0 10z\"/></marker></defs>"
        )
        html.open("g", ["transform": "translate(" + NumberText.string(margin) + " " + NumberText.string(margin) + ")"])
        for (index, box) in scene.boxes.enumerated() {
            let rect = layout.boxes[index]
            html.open("g", ["class": box.isFactory ? "box factory" : "box", "data-group": box.id])
            html.open(
                "rect",
                [
                    "class": "groupbox", "x": n(rect.x), "y": n(rect.y), "width": n(rect.width), "height": n(rect.height),
                    "rx": "6",
                ])
            html.close("rect")
            html.element("a", ["href": collapseLink(box.id), "aria-label": "Collapse " + box.id]) { html in
                html.element("text", ["class": "boxlabel", "x": n(rect.x + 8), "y": n(rect.y + 15)]) { html in
                    html.text("▾ " + box.label + (box.isFactory ? " ⇶ " : " · ") + "\(box.taskCount) tasks")
                }
            }
            html.close("g")
        }
        html.open("g", ["class": "edges"])
        for (from, to) in scene.edges {
            let a = layout.nodes[from]
            let b = layout.nodes[to]
            let x1 = a.maxX, y1 = a.midY, x2 = b.x - 1, y2 = b.midY
            let bend = max(24, abs(x2 - x1) / 2)
            let d =
                "M" + n(x1) + " " + n(y1) + "C" + n(x1 + bend) + " " + n(y1) + " " + n(x2 - bend) + " " + n(y2) + " " + n(x2)
                + " " + n(y2)
            html.open(
                "path",
                [
                    "class": x2 > x1 ? "edge" : "edge back", "d": d, "marker-end": "url(#arrow)", "data-from": scene.nodes[from].id,
                    "data-to": scene.nodes[to].id,
                ])
            html.close("path")
        }
        html.close("g")
        html.open("g", ["class": "nodes"])
        for (index, node) in scene.nodes.enumerated() { renderNode(&html, node, layout.nodes[index]) }
        html.close("g")
        html.close("g")
        html.close("svg")
    }

    private func renderNode(_ html: inout HTML, _ node: GraphScene.Node, _ rect: LayeredLayout.Rect) {
        let style = node.state.map { StateStyle.of($0) }
        var classes = "node " + (node.isGroup ? "group" : node.kind == .factory ? "factory" : "task")
        if let style { classes += " " + style.cssClass + " st" }
        let link = node.isGroup ? expandLink(node.id) : taskLink(node.id)
        if let link { html.open("a", ["href": link]) }
        html.open(
            "g", ["class": classes, "data-id": node.id, "transform": "translate(" + n(rect.x) + " " + n(rect.y) + ")"])
        html.element("title") { html in
            html.text(node.id + (node.isGroup ? " (\(node.taskCount) tasks)" : "") + (style.map { ": " + $0.label } ?? ""))
        }
        html.open("rect", ["width": n(rect.width), "height": n(rect.height), "rx": node.isGroup ? "8" : "4"])
        html.close("rect")
        if node.isGroup {
            html.element("text", ["x": "8", "y": "17"]) { html in html.text("▸ " + Self.label(node)) }
            html.element("text", ["class": "sub", "x": "8", "y": "34"]) { html in html.text(Self.countLine(node)) }
        } else {
            html.element("text", ["x": "8", "y": "19"]) { html in html.text(Self.label(node)) }
        }
        html.close("g")
        if link != nil { html.close("a") }
    }

    /// `12 tasks · ✓10 ✗2` (counts of a chosen run, most frequent states first).
    static func countLine(_ node: GraphScene.Node) -> String {
        var line = "\(node.taskCount) task" + (node.taskCount == 1 ? "" : "s")
        if node.kind == .factoryGroup { line = "⇶ " + line }
        let parts = StateStyle.rollupOrder.compactMap { state -> String? in
            guard let count = node.counts[state], count > 0 else { return nil }
            return StateStyle.of(state).glyph + "\(count)"
        }
        if !parts.isEmpty { line += " · " + parts.joined(separator: " ") }
        return line
    }

    private func n(_ value: Double) -> String { NumberText.string(value, decimals: 1) }
}
