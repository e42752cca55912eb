import Foundation
import HTTPTypes
import UpdraftAPI
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `GET /dags`: every DAG with its schedule, tags, next run, the states of its last runs, the
/// pause switch and the trigger button.
enum DAGsPage {
    /// Runs in each DAG's state strip.
    static let stripRuns = 12

    static var routes: [WebRoute] {
        [
            .page(.get, "/dags", navigation: "DAGs") { request in
                let context = request.context
                let entries = Dictionary(try await context.store.dagEntries().map { ($0.dagId, $0) }, uniquingKeysWith: { $1 })
                let filter = request.query("q")?.lowercased()
                let dags = context.engine.registry.ids.compactMap { context.engine.registry.dags[$0] }.filter { dag in
                    guard let filter else { return true }
                    return dag.id.lowercased().contains(filter) || dag.tags.contains { $0.lowercased().contains(filter) }
                }
                var recent: [String: [DAGRun]] = [:]
                for dag in dags { recent[dag.id] = try await context.store.runs(RunQuery(dagId: dag.id, limit: stripRuns)).reversed() }
                let now = context.now
                let canAct = request.allows(.user)
                return PageLayout.page(request, title: "DAGs") { html in
                    html.element("div", ["class": "toolbar"]) { html in
                        html.element("h1", ["style": "margin:0"], text: "DAGs")
                        html.element("form", ["method": "get", "action": "/dags", "role": "search"]) { html in
                            html.open(
                                "input",
                                [
                                    "type": "search", "name": "q", "value": request.query("q") ?? "", "placeholder": "Filter by id or tag",
                                    "aria-label": "Filter DAGs",
                                ])
                        }
                        html.element("span", ["class": "muted"], text: "\(dags.count) of \(context.engine.registry.ids.count)")
                    }
                    html.element("table", ["class": "list dags"]) { html in
                        html.raw(
                            "<thead><tr><th>DAG</th><th>Schedule</th><th>Next run</th><th>Last runs</th><th>Active</th><th></th></tr></thead><tbody>"
                        )
                        for dag in dags {
                            let entry = entries[dag.id]
                            html.open("tr", ["data-dag": dag.id])
                            html.element("td") { html in
                                html.element("a", ["href": PagePath.grid(dag.id), "class": "dag-link"]) { html in
                                    html.element("strong", text: dag.id)
                                }
                                if !dag.tags.isEmpty {
                                    html.raw("<br>")
                                    for tag in dag.tags {
                                        html.element("a", ["class": "pill", "href": "/dags?q=" + PagePath.segment(tag)], text: tag)
                                    }
                                }
                                if !dag.description.isEmpty { html.element("div", ["class": "muted"], text: dag.description) }
                            }
                            html.element("td", ["class": "mono"], text: dag.scheduleText ?? DAGHeader.scheduleLabel(dag))
                            html.element("td") { html in
                                let paused = entry?.isPaused ?? dag.isPausedAtCreation
                                let next = dag.schedule.nextDueDate(
                                    after: entry?.lastScheduledInterval, startDate: dag.startDate, catchup: dag.catchup, now: now)
                                if let next, !paused { TimeText.render(&html, next) } else { html.raw("<span class=\"muted\">–</span>") }
                            }
                            html.element("td") { html in strip(&html, dag: dag, runs: recent[dag.id] ?? []) }
                            html.element("td") { html in
                                PauseSwitch.render(&html, request, dagId: dag.id, paused: entry?.isPaused ?? dag.isPausedAtCreation)
                            }
                            html.element("td") { html in
                                if canAct {
                                    html.element(
                                        "a",
                                        ["class": "button", "href": PagePath.dag(dag.id) + "/trigger", "aria-label": "Trigger " + dag.id],
                                        text: "▶ Trigger")
                                }
                            }
                            html.close("tr")
                        }
                        html.raw("</tbody>")
                    }
                }
            },
            WebRoute(.get, "/dags/{dag_id}", role: .viewer) { request in .redirect(PagePath.grid(request.path("dag_id"))) },
        ]
    }

    /// The states of `runs` (oldest left), each a link to its run.
    static func strip(_ html: inout HTML, dag: DAG, runs: [DAGRun]) {
        guard !runs.isEmpty else { html.raw("<span class=\"muted\">no runs</span>"); return }
        html.element("span", ["class": "strip", "aria-label": "Last runs"]) { html in
            for run in runs {
                let style = StateStyle.of(run.state)
                html.element(
                    "a",
                    [
                        "class": style.cssClass, "href": PagePath.run(dag.id, run.runId),
                        "title": run.runId + " · " + style.label + " · " + TimeText.short(run.logicalDate),
                    ], text: style.glyph)
            }
        }
    }
}
