import Foundation
import HTTPTypes
import UpdraftAPI
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `GET /dags/{dag_id}/grid`: runs as columns (newest right, paged by `offset` and `runs`), tasks
/// as rows, groups collapsed unless listed in `expand`; `…/grid/rows` serves one group's rows
/// (`group=`) or the whole table (`whole=1`) for the script, and `…/grid/events` tells it when the
/// store changed (server-sent events).
public enum GridPage {
    /// Columns by default and at most.
    static let defaultRuns = 25
    static let maximumRuns = 100
    /// Rows shown per group (and at the top level) by default and at most (`rows=`); a group with
    /// more ends in a link that shows more.
    static let defaultRows = 100
    static let maximumRows = 5_000

    static var routes: [WebRoute] {
        [
            .page(.get, "/dags/{dag_id}/grid") { request in
                let (dag, entry) = try await request.dag()
                let view = try await GridView.load(request, dag: dag)
                return PageLayout.page(
                    request, title: dag.id, crumbs: [Crumb("DAGs", "/dags"), Crumb(dag.id)],
                    capacity: 64 * 1024 + view.estimatedBytes
                ) { html in
                    DAGHeader.render(&html, request, dag: dag, entry: entry, current: .grid)
                    html.element("div", ["class": "toolbar"]) { html in
                        pager(&html, dag: dag, view: view)
                        html.element("span", ["class": "live", "data-live-status": "", "aria-live": "polite"], text: "")
                    }
                    legend(&html)
                    html.element("div", ["class": "grid-wrap"]) { html in
                        html.open(
                            "table",
                            [
                                "class": "grid", "data-grid": "", "aria-label": "Grid of " + dag.id,
                                "data-rows": PagePath.grid(dag.id) + "/rows?offset=\(view.offset)&runs=\(view.count)&rows=\(view.rowLimit)",
                                "data-events": PagePath.grid(dag.id) + "/events",
                                "data-expanded": view.expanded.sorted().joined(separator: ","),
                            ])
                        view.table(&html)
                        html.close("table")
                    }
                }
            },
            WebRoute(.get, "/dags/{dag_id}/grid/rows", role: .viewer) { request in
                let (dag, _) = try await request.dag()
                let view = try await GridView.load(request, dag: dag)
                return PageLayout.fragment(capacity: 16 * 1024 + view.estimatedBytes) { html in
                    if let group = request.query("group"), request.query("whole") == nil {
                        view.groupRows(&html, group: group)
                    } else {
                        view.table(&html)
                    }
                }
            },
            WebRoute(.get, "/dags/{dag_id}/grid/events", role: .viewer) { request in
                _ = try await request.dag()
                return ChangeEvents.stream(store: request.context.store, stamps: request.context.changeStamps)
            },
        ]
    }

    static func pager(_ html: inout HTML, dag: DAG, view: GridView) {
        let base = PagePath.grid(dag.id)
        let expand = view.expanded.isEmpty ? "" : "&expand=" + PagePath.segment(view.expanded.sorted().joined(separator: ","))
        let older = view.offset + view.count < view.total
        let newer = view.offset > 0
        html.element("span", ["class": "muted"]) { html in
            if view.total == 0 {
                html.text("No runs yet")
            } else {
                html.text("Runs \(max(view.total - view.offset - view.runs.count + 1, 1))–\(view.total - view.offset) of \(view.total)")
            }
        }
        if older {
            html.element(
                "a", ["class": "button", "href": base + "?offset=\(view.offset + view.count)&runs=\(view.count)" + expand, "rel": "prev"],
                text: "◀ Older")
        }
        if newer {
            html.element(
                "a",
                [
                    "class": "button", "href": base + "?offset=\(max(0, view.offset - view.count))&runs=\(view.count)" + expand,
                    "rel": "next",
                ], text: "Newer ▶")
        }
    }

    static func legend(_ html: inout HTML) {
        html.element("div", ["class": "legend", "aria-label": "States"]) { html in
            for state in [TaskState.success, .failed, .running, .queued, .scheduled, .upForRetry, .upstreamFailed, .skipped, .none] {
                let style = StateStyle.of(state)
                html.element("span") { html in
                    html.element("span", ["class": "sw " + style.cssClass, "aria-hidden": "true"], text: style.glyph)
                    html.text(style.label)
                }
            }
        }
    }
}

/// One rendering of a grid: the runs shown, the expanded groups, and the rows of each.
struct GridView: Sendable {
    let dag: DAG
    let runs: [DAGRun]
    let total: Int
    let offset: Int
    let count: Int
    let expanded: Set<String>
    /// Rows shown per group.
    let rowLimit: Int
    /// Rows by group (`""`: the top level), for the top level and each expanded group.
    let rows: [String: [GridModel.Row]]
    /// Groups (`""`: the top level) with more tasks than the row limit.
    let more: Set<String>

    static func load(_ request: WebRequest, dag: DAG) async throws -> GridView {
        let count = min(max(Int(request.query("runs") ?? "") ?? GridPage.defaultRuns, 1), GridPage.maximumRuns)
        let offset = max(Int(request.query("offset") ?? "") ?? 0, 0)
        let rowLimit = min(max(Int(request.query("rows") ?? "") ?? GridPage.defaultRows, 1), GridPage.maximumRows)
        let store = request.context.store
        let (runs, total) = try await GridModel.runs(dagId: dag.id, count: count, offset: offset, store: store)
        var expanded = Set(request.queryList("expand"))
        var wanted: [String?] = []
        if let group = request.query("group"), request.query("whole") == nil {
            // One group's rows (and those of its expanded descendants) for the script.
            expanded.insert(group)
            wanted = expanded.filter { $0 == group || $0.hasPrefix(group + ".") }.sorted().map { $0 }
        } else {
            wanted = [nil] + expanded.sorted().map { $0 }
        }
        var rows: [String: [GridModel.Row]] = [:]
        var more: Set<String> = []
        for group in wanted {
            let model = try await GridModel.load(dag: dag, runs: runs, within: group, rowLimit: rowLimit, store: store)
            rows[group ?? ""] = model.rows
            if model.moreTasks { more.insert(group ?? "") }
        }
        return GridView(
            dag: dag, runs: runs, total: total, offset: offset, count: count, expanded: expanded, rowLimit: rowLimit, rows: rows, more: more
        )
    }

    var estimatedBytes: Int { rows.values.reduce(0) { $0 + $1.count } * (runs.count * 90 + 200) }

    /// `<thead>` (one column per run) and `<tbody>` (the rows, expanded groups in place).
    func table(_ html: inout HTML) {
        html.open("thead")
        html.open("tr")
        html.element("th", ["class": "task", "scope": "col"], text: "Task")
        for run in runs {
            let style = StateStyle.of(run.state)
            html.element("th", ["class": "run", "scope": "col"]) { html in
                html.element(
                    "a",
                    [
                        "class": style.cssClass, "href": PagePath.run(dag.id, run.runId),
                        "title": run.runId + " · " + style.label + " · " + TimeText.short(run.logicalDate),
                        "data-run": run.runId,
                    ], text: style.glyph)
            }
        }
        html.close("tr")
        html.close("thead")
        html.open("tbody")
        rowsOf(&html, group: nil, depth: 0)
        html.close("tbody")
    }

    /// The rows of `group` (for the script to insert after the group's row).
    func groupRows(_ html: inout HTML, group: String) {
        rowsOf(&html, group: group, depth: group.split(separator: ".").count)
    }

    private func rowsOf(_ html: inout HTML, group: String?, depth: Int) {
        let all = rows[group ?? ""] ?? []
        for row in all.prefix(rowLimit) {
            html.open("tr", ["data-in": group, "data-row": row.id])
            html.element("th", ["class": "task", "scope": "row", "style": depth > 0 ? "padding-left:\(6 + depth * 16)px" : nil]) { html in
                let label = group.map { String(row.id.dropFirst($0.count + 1)) } ?? row.id
                if row.isGroup {
                    let open = expanded.contains(row.id)
                    html.element(
                        "a",
                        [
                            "class": "tree", "data-toggle": row.id, "aria-expanded": open ? "true" : "false",
                            "aria-label": (open ? "Collapse " : "Expand ") + row.id, "href": toggleLink(row.id, open: open),
                        ], text: open ? "▾" : "▸")
                    html.element("span", ["class": "group", "title": row.id], text: label)
                    html.element("span", ["class": "count"], text: " \(row.size)")
                } else {
                    html.raw("<span class=\"tree\" aria-hidden=\"true\"></span>")
                    html.element("span", ["title": row.id], text: label)
                }
            }
            for run in runs { cell(&html, row: row, run: run) }
            html.close("tr")
            if row.isGroup, expanded.contains(row.id) { rowsOf(&html, group: row.id, depth: depth + 1) }
        }
        if all.count > rowLimit || more.contains(group ?? "") {
            html.open("tr", ["data-in": group, "class": "more"])
            html.element("th", ["class": "task", "scope": "row", "style": "padding-left:\(6 + depth * 16)px"]) { html in
                html.element("a", ["href": link(expanded: expanded, rows: min(rowLimit * 4, GridPage.maximumRows))]) { html in
                    html.text("… more rows (show up to \(min(rowLimit * 4, GridPage.maximumRows)))")
                }
            }
            html.close("tr")
        }
    }

    private func cell(_ html: inout HTML, row: GridModel.Row, run: DAGRun) {
        guard let counts = row.cells[run.runId], let state = row.isGroup ? StateStyle.rollup(counts) : counts.keys.first else {
            html.raw("<td><span class=\"c s-empty\"></span></td>")
            return
        }
        let style = StateStyle.of(state)
        html.open("td")
        if row.isGroup {
            var title = row.id + " · "
            title += StateStyle.rollupOrder.compactMap { state in counts[state].map { "\($0) \(StateStyle.of(state).label)" } }
                .joined(separator: ", ")
            html.element(
                "a",
                [
                    "class": style.cssClass,
                    "href": PagePath.run(dag.id, run.runId)
                        + ExpandQuery(runId: nil, expanded: Set(ExpandQuery.ancestors(of: row.id) + [row.id])).string,
                    "title": title,
                ],
                text: style.glyph)
        } else {
            html.element(
                "a",
                [
                    "class": style.cssClass, "href": PagePath.task(dag.id, run.runId, row.id),
                    "title": row.id + " · " + style.label + " · " + run.runId,
                ], text: style.glyph)
        }
        html.close("td")
    }

    private func toggleLink(_ group: String, open: Bool) -> String {
        var next = expanded
        if open { next = next.filter { $0 != group && !$0.hasPrefix(group + ".") } } else { next.insert(group) }
        return link(expanded: next, rows: rowLimit)
    }

    private func link(expanded: Set<String>, rows: Int) -> String {
        var link = PagePath.grid(dag.id) + "?offset=\(offset)&runs=\(count)"
        if rows != GridPage.defaultRows { link += "&rows=\(rows)" }
        if !expanded.isEmpty { link += "&expand=" + PagePath.segment(expanded.sorted().joined(separator: ",")) }
        return link
    }
}
