import Foundation
import UpdraftCore
import UpdraftStore

/// The facts of a run (a `<dl class="facts">`) and its asset links: the events it consumed, with
/// the runs that produced them, and the runs started by the events it produced.
enum RunFacts {
    static func render(_ html: inout HTML, _ run: DAGRun, instances: [TaskInstance], version: DAGVersionRecord?) {
        html.element("dl", ["class": "facts run-facts"]) { html in
            func fact(_ name: String, _ value: (inout HTML) -> Void) {
                html.element("dt", text: name)
                html.element("dd") { html in value(&html) }
            }
            fact("State") { html in html.badge(StateStyle.of(run.state)) }
            fact("Run type") { html in html.text(run.runType.rawValue) }
            fact("Triggered by") { html in
                html.text(run.triggeredBy.rawValue)
                if let user = run.triggeringUserName { html.text(" (" + user + ")") }
            }
            fact("Logical date") { html in TimeText.render(&html, run.logicalDate) }
            fact("Data interval start") { html in TimeText.render(&html, run.dataInterval.start) }
            fact("Data interval end") { html in TimeText.render(&html, run.dataInterval.end) }
            fact("Queued at") { html in TimeText.render(&html, run.queuedAt) }
            fact("Started") { html in TimeText.render(&html, run.startDate) }
            fact("Ended") { html in TimeText.render(&html, run.endDate) }
            fact("Duration") { html in
                if let start = run.startDate, let end = run.endDate {
                    html.text(TimeText.duration(end.timeIntervalSince(start)))
                } else {
                    html.raw("<span class=\"muted\">–</span>")
                }
            }
            fact("Tasks") { html in
                var counts: [TaskState: Int] = [:]
                for instance in instances { counts[instance.state, default: 0] += 1 }
                html.text("\(instances.count)")
                for state in StateStyle.rollupOrder where (counts[state] ?? 0) > 0 {
                    let style = StateStyle.of(state)
                    html.element(
                        "span", ["class": "count", "title": style.label], text: " · " + style.glyph + " \(counts[state]!) " + style.label)
                }
            }
            if let backfill = run.backfillId { fact("Backfill") { html in html.text("#\(backfill)") } }
            if let version { fact("DAG version") { html in html.text("v\(version.versionNumber)") } }
            if let note = run.note, !note.isEmpty { fact("Note") { html in html.element("span", ["class": "note"], text: note) } }
            fact("Conf") { html in
                if run.conf.isEmpty {
                    html.raw("<span class=\"muted\">{}</span>")
                } else {
                    html.element("pre", ["class": "conf"], text: prettyJSON(run.conf))
                }
            }
        }
    }

    /// The conf as indented JSON with sorted keys, values of sensitive keys masked.
    static func prettyJSON(_ conf: [String: JSONValue]) -> String {
        SecretMask.pretty(SecretMask.masked(.object(conf)))
    }

    static func assets(_ html: inout HTML, consumed: [AssetEvent], downstream: [DAGRun]) {
        html.element("section", ["class": "panel assets", "aria-label": "Assets"]) { html in
            html.element("h2", ["style": "margin-top:0"], text: "Consumed asset events")
            if consumed.isEmpty {
                html.element("p", ["class": "muted"], text: "None: this run was not started by assets.")
            } else {
                html.element("table", ["class": "list consumed"]) { html in
                    html.raw("<thead><tr><th>Asset</th><th>Produced by</th><th>Task</th><th>At</th></tr></thead><tbody>")
                    for event in consumed {
                        html.element("tr") { html in
                            html.element("td") { html in
                                html.element("a", ["href": PagePath.asset(event.assetId), "title": event.assetURI], text: event.assetName)
                            }
                            html.element("td") { html in
                                if event.sourceDagId.isEmpty {
                                    html.element("span", ["class": "muted"], text: "external event")
                                } else {
                                    html.element(
                                        "a", ["href": PagePath.run(event.sourceDagId, event.sourceRunId), "class": "upstream-run"],
                                        text: event.sourceDagId + " / " + event.sourceRunId)
                                }
                            }
                            html.element("td", text: event.sourceTaskId)
                            html.element("td") { html in TimeText.render(&html, event.timestamp) }
                        }
                    }
                    html.raw("</tbody>")
                }
            }
            html.element("h2", text: "Runs downstream")
            if downstream.isEmpty {
                html.element("p", ["class": "muted"], text: "No run was started by the asset events of this run.")
            } else {
                html.element("ul", ["class": "downstream"]) { html in
                    for run in downstream {
                        html.element("li") { html in
                            html.badge(StateStyle.of(run.state))
                            html.text(" ")
                            html.element("a", ["href": PagePath.run(run.dagId, run.runId)], text: run.dagId + " / " + run.runId)
                        }
                    }
                }
            }
        }
    }
}
