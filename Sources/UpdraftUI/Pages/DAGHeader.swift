import Foundation
import UpdraftAPI
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// The tabs of a DAG's pages.
public enum DAGTab: Sendable {
    case grid, graph, run, task, trigger
}

/// The head of every page of one DAG: its id, description, schedule and tags, the pause switch and
/// trigger button (for users whose role allows them), and the tabs.
public enum DAGHeader {
    public static func render(_ html: inout HTML, _ request: WebRequest, dag: DAG, entry: DAGEntry?, current: DAGTab) {
        let paused = entry?.isPaused ?? dag.isPausedAtCreation
        html.element("div", ["class": "toolbar dag-head"]) { html in
            html.element("h1", ["style": "margin:0"]) { html in html.text(dag.id) }
            html.element("span", ["class": "pill", "title": "Schedule"], text: dag.scheduleText ?? scheduleLabel(dag))
            for tag in dag.tags { html.element("span", ["class": "pill tag"], text: tag) }
            PauseSwitch.render(&html, request, dagId: dag.id, paused: paused)
            if request.allows(.user) {
                html.element("a", ["class": "button primary", "href": PagePath.dag(dag.id) + "/trigger", "data-trigger-link": dag.id]) {
                    html in html.raw("▶ Trigger")
                }
            }
        }
        if !dag.description.isEmpty { html.element("p", ["class": "muted"], text: dag.description) }
        html.element("nav", ["class": "tabs", "aria-label": "DAG views"]) { html in
            html.element("a", ["href": PagePath.grid(dag.id), "aria-current": current == .grid ? "page" : nil], text: "Grid")
            html.element("a", ["href": PagePath.graph(dag.id), "aria-current": current == .graph ? "page" : nil], text: "Graph")
        }
    }

    static func scheduleLabel(_ dag: DAG) -> String {
        if dag.assetCondition != nil { return "on assets" }
        return "manual"
    }
}

/// The pause switch of a DAG: a checkbox the script turns into `PATCH /api/v2/dags/{id}`; read
/// only (disabled) for a viewer.
public enum PauseSwitch {
    public static func render(_ html: inout HTML, _ request: WebRequest, dagId: String, paused: Bool) {
        let canAct = request.allows(.user)
        html.element("label", ["class": "toggle", "title": canAct ? "Pause or unpause the DAG" : "Paused or active"]) { html in
            html.open(
                "input",
                [
                    "type": "checkbox", "role": "switch", "checked": paused ? nil : "", "aria-checked": paused ? "false" : "true",
                    "disabled": canAct ? nil : "", "data-pause": canAct ? "/api/v2/dags/" + PagePath.segment(dagId) : nil,
                    "aria-label": "Active: " + dagId,
                ])
            html.element("span", ["data-pause-label": ""], text: paused ? "paused" : "active")
        }
    }
}

extension WebRequest {
    /// The DAG named by the `{dag_id}` path value, with its stored entry; 404 naming it otherwise.
    public func dag() async throws -> (DAG, DAGEntry?) {
        let dagId = path("dag_id")
        guard let dag = context.engine.registry.dags[dagId] else {
            throw APIError.notFound("The DAG with dag_id: `\(dagId)` was not found")
        }
        let entry = try await context.store.dagEntries().first { $0.dagId == dagId }
        return (dag, entry)
    }

    /// The run named by `{dag_id}` and `{run_id}`; 404 naming them otherwise.
    public func run(of dag: DAG) async throws -> DAGRun {
        let runId = path("run_id")
        guard let run = try await context.store.runs(RunQuery(dagId: dag.id, runId: runId, limit: 1)).first else {
            throw APIError.notFound("The DagRun with dag_id: `\(dag.id)` and run_id: `\(runId)` was not found")
        }
        return run
    }
}

/// Dates as the UI shows them: UTC, to the second, in a `<time>` element.
public enum TimeText {
    public static func render(_ html: inout HTML, _ date: Date?, relative: Bool = false) {
        guard let date else { html.raw("<span class=\"muted\">–</span>"); return }
        let iso = APIDate.format(date)
        html.element("time", ["datetime": iso, "title": iso, "data-relative": relative ? "" : nil], text: short(date))
    }

    /// `2026-12-06 07:53:04` (UTC).
    public static func short(_ date: Date) -> String {
        let iso = APIDate.format(date)
        return String(iso.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }

    /// `1.2 s`, `3 min 4 s`, `2 h 5 min`.
    public static func duration(_ seconds: TimeInterval) -> String {
        if seconds < 0.001 { return "0 s" }
        if seconds < 10 { return NumberText.string(seconds, decimals: 2) + " s" }
        if seconds < 60 { return NumberText.string(seconds, decimals: 1) + " s" }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }
}
