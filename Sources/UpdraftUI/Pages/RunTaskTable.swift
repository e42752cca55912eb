import Foundation
import UpdraftCore

/// A run's task instances as a table grouped by their groups (static and factory): a group is one
/// row with its rolled-up state and counts, its tasks shown only when it is expanded (a link adds
/// it to `?expand=`), so a run of 10,000 tasks is a few rows until one asks for more.
struct RunTaskTable {
    /// Most rows written; past it a note says how many were left out.
    static let rowLimit = 1_000

    enum Entry { case task(Int), group(String) }

    let instances: [TaskInstance]
    let hierarchy: GroupHierarchy
    let expanded: Set<String>
    /// Entries under each group ("" for the top level), in first-seen order.
    private(set) var children: [String: [Entry]] = [:]
    private(set) var counts: [String: [TaskState: Int]] = [:]
    /// The instance carrying a factory group's own state.
    private(set) var own: [String: Int] = [:]

    init(instances: [TaskInstance], hierarchy: GroupHierarchy, expanded: Set<String>) {
        self.instances = instances; self.hierarchy = hierarchy; self.expanded = expanded
        var listed = Set<String>()
        func list(_ group: String) {
            guard listed.insert(group).inserted else { return }
            let parent = hierarchy.parent(of: group)
            if let parent { list(parent) }
            children[parent ?? "", default: []].append(.group(group))
        }
        for (index, instance) in instances.enumerated() {
            if hierarchy.isFactory(instance.taskId) {
                own[instance.taskId] = index
                list(instance.taskId)
                continue
            }
            if let group = instance.group {
                list(group)
                var current: String? = group
                while let g = current {
                    counts[g, default: [:]][instance.state, default: 0] += 1
                    current = hierarchy.parent(of: g)
                }
            }
            children[instance.group ?? "", default: []].append(.task(index))
        }
    }

    /// The state a group row shows: its factory's own when that failed or is still working, else the roll-up.
    func state(of group: String) -> TaskState? {
        let rolled = StateStyle.rollup(counts[group] ?? [:])
        if let index = own[group] {
            let state = instances[index].state
            if state.isFailure || !state.isTerminal || rolled == nil { return state }
        }
        return rolled
    }

    func render(_ html: inout HTML, dagId: String, runId: String, link: (ExpandQuery) -> String) {
        var written = 0
        var skipped = 0
        html.element("table", ["class": "list tasks"]) { html in
            html.raw(
                "<thead><tr><th>Task</th><th>State</th><th class=\"num\">Try</th><th>Started</th><th class=\"num\">Duration</th></tr></thead><tbody>"
            )
            func rows(_ group: String, depth: Int) {
                for entry in children[group] ?? [] {
                    if written >= Self.rowLimit {
                        skipped += count(entry)
                        continue
                    }
                    written += 1
                    switch entry {
                    case .task(let index): taskRow(&html, instances[index], group: group, depth: depth, dagId: dagId, runId: runId)
                    case .group(let id):
                        let open = expanded.contains(id)
                        groupRow(&html, id, parent: group, depth: depth, open: open, link: link)
                        if open { rows(id, depth: depth + 1) }
                    }
                }
            }
            rows("", depth: 0)
            html.raw("</tbody>")
        }
        if skipped > 0 { html.element("p", ["class": "muted"], text: "\(skipped) more rows are not shown.") }
    }

    private func count(_ entry: Entry) -> Int {
        if case .group(let id) = entry { return (counts[id] ?? [:]).values.reduce(0, +) }
        return 1
    }

    private func indent(_ depth: Int) -> String? { depth > 0 ? "padding-left:\(8 + depth * 18)px" : nil }

    private func taskRow(_ html: inout HTML, _ instance: TaskInstance, group: String, depth: Int, dagId: String, runId: String) {
        let style = StateStyle.of(instance.state)
        let name =
            !group.isEmpty && instance.taskId.hasPrefix(group + ".") ? String(instance.taskId.dropFirst(group.count + 1)) : instance.taskId
        html.element("tr", ["data-task": instance.taskId]) { html in
            html.element("td", ["style": indent(depth)]) { html in
                html.element("a", ["href": PagePath.task(dagId, runId, instance.taskId)], text: name)
            }
            html.element("td") { html in html.badge(style) }
            html.element("td", ["class": "num"]) { html in html.text(instance.tryNumber) }
            html.element("td") { html in TimeText.render(&html, instance.startDate) }
            html.element("td", ["class": "num"], text: instance.duration.map(TimeText.duration) ?? "–")
        }
    }

    private func groupRow(
        _ html: inout HTML, _ id: String, parent: String, depth: Int, open: Bool, link: (ExpandQuery) -> String
    ) {
        let counts = counts[id] ?? [:]
        let total = counts.values.reduce(0, +)
        let name = !parent.isEmpty && id.hasPrefix(parent + ".") ? String(id.dropFirst(parent.count + 1)) : id
        let query = ExpandQuery(runId: nil, expanded: expanded)
        html.element("tr", ["class": "group", "data-group": id]) { html in
            html.element("td", ["style": indent(depth)]) { html in
                html.element(
                    "a",
                    [
                        "class": "tree", "href": link(open ? query.removing(id) : query.adding(id)),
                        "aria-expanded": open ? "true" : "false", "aria-label": (open ? "Collapse " : "Expand ") + id,
                    ], text: open ? "▾" : "▸")
                html.element("strong", text: name)
                html.element("span", ["class": "muted"], text: (hierarchy.isFactory(id) ? " ⇶ " : " ") + "\(total) tasks")
            }
            html.element("td") { html in
                if let state = state(of: id) { html.badge(StateStyle.of(state)) }
                for state in StateStyle.rollupOrder where (counts[state] ?? 0) > 0 {
                    let style = StateStyle.of(state)
                    html.element("span", ["class": "count", "title": style.label], text: " " + style.glyph + "\(counts[state]!)")
                }
            }
            if let index = own[id] {
                html.element("td", ["class": "num"]) { html in html.text(instances[index].tryNumber) }
                html.element("td") { html in TimeText.render(&html, instances[index].startDate) }
            } else {
                html.raw("<td></td><td></td>")
            }
            html.raw("<td></td>")
        }
    }
}
