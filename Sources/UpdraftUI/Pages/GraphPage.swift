import Foundation
import HTTPTypes
import UpdraftAPI
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `GET /dags/{dag_id}/graph[?run_id=R][&expand=G1,G2]`: the DAG's structure as SVG laid out on
/// the server, left to right. Groups (static and factory) are collapsed unless named in `expand`;
/// for the chosen run (`run_id`, else the latest) nodes show their state, and factories the tasks
/// that run's expansions created. Works without the script: expanding is a link, picking a run a
/// GET form.
///
/// ```swift
/// let routes = APIRoutes(pages: EngineUI.pages + GraphPage.routes)
/// ```
public enum GraphPage {
    /// Runs offered in the run picker.
    static let pickerRuns = 25

    /// The page's route.
    public static var routes: [WebRoute] {
        [WebRoute.page(.get, "/dags/{dag_id}/graph", role: .viewer) { request in try await render(request) }]
    }

    static func render(_ request: WebRequest) async throws -> APIResponse {
        let (dag, entry) = try await request.dag()
        let store = request.context.store
        let recent = try await store.runs(RunQuery(dagId: dag.id, limit: pickerRuns))
        var run = recent.first
        if let runId = request.query("run_id") {
            guard let chosen = try await store.run(RunKey(dag.id, runId)) else {
                throw APIError.notFound("The DagRun with dag_id: `\(dag.id)` and run_id: `\(runId)` was not found")
            }
            run = chosen
        }
        let expanded = Set(request.queryList("expand").filter { !$0.isEmpty })
        var instances: [TaskInstance] = []
        if let run { instances = try await store.taskInstances(run: run.key) }
        var graph = dag.graph
        var problem: String?
        if let run {
            // Rebuild only the expansions that are drawn open; collapsed ones are counted from the instances.
            let inputs = try await store.factoryInputs(run: run.key).filter { id, _ in
                expanded.contains(id) && ExpandQuery.ancestors(of: id).allSatisfy(expanded.contains)
            }
            if !inputs.isEmpty {
                do {
                    // Only factories fed by params read them; a conf the DAG's params no longer accept
                    // still draws (best effort: the stored inputs of the other factories are what matter).
                    let params = (try? dag.resolveParams(run.conf)) ?? run.conf
                    graph = try DAGRegistry.expandedGraph(of: dag, params: params, factoryInputs: inputs)
                } catch {
                    problem = "The run's expansions could not be rebuilt (\(error)); their tasks are shown without edges."
                }
            }
        }
        let scene = GraphScene(graph: graph, instances: instances, expanded: expanded)
        let query = ExpandQuery(runId: request.query("run_id"), expanded: expanded)
        let base = PagePath.graph(dag.id)
        let drawing = GraphDrawing(
            taskLink: { task in run.map { PagePath.task(dag.id, $0.runId, task) } },
            expandLink: { group in base + query.adding(group).string },
            collapseLink: { group in base + query.removing(group).string })
        return PageLayout.page(
            request, title: dag.id + " graph",
            crumbs: [Crumb("DAGs", "/dags"), Crumb(dag.id, PagePath.grid(dag.id)), Crumb("Graph")]
        ) { html in
            DAGHeader.render(&html, request, dag: dag, entry: entry, current: .graph)
            picker(&html, dag: dag, runs: recent, chosen: run, expanded: expanded)
            if let problem { html.element("p", ["class": "notice error"], text: problem) }
            html.element("div", ["class": "graph-wrap"]) { html in
                drawing.render(&html, scene, title: "Graph of " + dag.id + (run.map { ", run " + $0.runId } ?? ""))
            }
            legend(&html, scene)
        }
    }

    /// The run picker: a GET form (kept expansions in a hidden field) and a link to the run's page.
    static func picker(_ html: inout HTML, dag: DAG, runs: [DAGRun], chosen: DAGRun?, expanded: Set<String>) {
        html.element("form", ["class": "toolbar", "method": "get", "action": PagePath.graph(dag.id)]) { html in
            guard let chosen else {
                html.element("span", ["class": "muted"], text: "No runs yet: the structure only.")
                return
            }
            html.element("label", ["for": "run-picker"], text: "Run")
            html.element("select", ["id": "run-picker", "name": "run_id"]) { html in
                var listed = runs
                if !listed.contains(where: { $0.runId == chosen.runId }) { listed.insert(chosen, at: 0) }
                for run in listed {
                    let label = StateStyle.of(run.state).glyph + " " + run.runId
                    html.element("option", ["value": run.runId, "selected": run.runId == chosen.runId ? "" : nil], text: label)
                }
            }
            if !expanded.isEmpty {
                html.open("input", ["type": "hidden", "name": "expand", "value": expanded.sorted().joined(separator: ",")])
            }
            html.element("button", ["type": "submit"], text: "Show")
            html.badge(StateStyle.of(chosen.state))
            html.element("a", ["href": PagePath.run(dag.id, chosen.runId)], text: "Run details")
        }
    }

    /// The states present, with their glyphs, and how to expand.
    static func legend(_ html: inout HTML, _ scene: GraphScene) {
        let present = Set(scene.nodes.compactMap(\.state))
        html.element("div", ["class": "legend"]) { html in
            for state in TaskState.allCases where present.contains(state) {
                let style = StateStyle.of(state)
                html.element("span") { html in
                    html.element("span", ["class": "sw " + style.cssClass, "aria-hidden": "true"], text: style.glyph)
                    html.text(style.label)
                }
            }
            html.element("span", ["class": "muted"], text: "▸ a collapsed group: open it to expand · ⇶ a factory")
        }
    }
}
