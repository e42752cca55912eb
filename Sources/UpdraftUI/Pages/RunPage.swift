import Foundation
import HTTPTypes
import UpdraftAPI
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// `GET /dags/{dag_id}/runs/{run_id}[?expand=G1,G2]`: one run's facts (state, type, trigger, dates,
/// data interval, duration, conf, note, backfill, DAG version), the asset events it consumed (with
/// the runs that produced them) and the runs its own events started, a Gantt chart of its tries
/// (failures first), and its task instances grouped by group. Users whose role allows it get the
/// actions: clear the run, mark it success or failed.
///
/// ```swift
/// let routes = APIRoutes(pages: EngineUI.pages + RunPage.routes)
/// ```
public enum RunPage {
    /// Most linked runs listed downstream.
    static let downstreamLimit = 50

    /// The page's route.
    public static var routes: [WebRoute] {
        [WebRoute.page(.get, "/dags/{dag_id}/runs/{run_id}", role: .viewer) { request in try await render(request) }]
    }

    static func render(_ request: WebRequest) async throws -> APIResponse {
        let (dag, entry) = try await request.dag()
        let run = try await request.run(of: dag)
        let store = request.context.store
        let instances = try await store.taskInstances(run: run.key)
        let consumed = try await store.assetEvents(consumedBy: run.key)
        let produced = try await store.assetEvents(producedBy: run.key)
        var downstream: [DAGRun] = []
        if !produced.isEmpty {
            for key in try await store.runsConsuming(events: produced.map(\.id)).prefix(downstreamLimit) {
                if let found = try await store.run(key) { downstream.append(found) }
            }
        }
        let version = try await run.dagVersionId.asyncMap { try await store.dagVersion(id: $0) } ?? nil
        let gantt = try await gantt(run: run, instances: instances, store: store, now: request.context.engine.clock.now)
        let expanded = Set(request.queryList("expand").filter { !$0.isEmpty })
        let table = RunTaskTable(
            instances: instances, hierarchy: GroupHierarchy(graph: dag.graph, instances: instances), expanded: expanded)
        let runPath = PagePath.run(dag.id, run.runId)
        return PageLayout.page(
            request, title: run.runId + " · " + dag.id,
            crumbs: [Crumb("DAGs", "/dags"), Crumb(dag.id, PagePath.grid(dag.id)), Crumb("Run " + run.runId)]
        ) { html in
            DAGHeader.render(&html, request, dag: dag, entry: entry, current: .run)
            html.element("div", ["class": "toolbar"]) { html in
                html.element("h2", ["style": "margin:0"]) { html in html.text("Run " + run.runId) }
                html.badge(StateStyle.of(run.state))
                html.element("a", ["href": PagePath.graph(dag.id, run: run.runId)], text: "Graph of this run")
            }
            if request.allows(.user) { actions(&html, run) }
            RunFacts.render(&html, run, instances: instances, version: version)
            RunFacts.assets(&html, consumed: consumed, downstream: downstream)
            html.element("h2", text: "Tries")
            gantt.render(&html)
            html.element("h2", text: "Task instances")
            table.render(&html, dagId: dag.id, runId: run.runId) { query in runPath + query.string }
        }
    }

    /// The chart's rows: tasks in chart order, tries read for the first ones until the limit.
    static func gantt(
        run: DAGRun, instances: [TaskInstance], store: any StateStore, now: Date, limit: Int = RunGantt.defaultLimit
    )
        async throws -> RunGantt
    {
        var bars: [RunGantt.Bar] = []
        var hidden = 0
        for instance in RunGantt.order(instances) {
            guard bars.count < limit else {
                hidden += max(1, instance.tryNumber)
                continue
            }
            let tries = instance.tryNumber > 1 ? try await store.tries(run: run.key, taskId: instance.taskId) : []
            let rows = RunGantt.bars(of: instance, tries: tries, now: now)
            let room = limit - bars.count
            bars += rows.prefix(room)
            hidden += max(0, rows.count - room)
        }
        let dagId = run.dagId, runId = run.runId
        return RunGantt(bars: bars, hidden: hidden) { bar in PagePath.task(dagId, runId, bar.taskId, tryNumber: bar.tryNumber) }
    }

    /// Clear the run, mark it success or failed: buttons the shared script sends to the API (with the CSRF token).
    static func actions(_ html: inout HTML, _ run: DAGRun) {
        let dagPath = "/api/v2/dags/" + PagePath.segment(run.dagId)
        let runPath = dagPath + "/dagRuns/" + PagePath.segment(run.runId)
        let clear: JSONValue = .object(["dry_run": .bool(false), "dag_run_id": .string(run.runId), "only_failed": .bool(false)])
        html.element("div", ["class": "toolbar actions", "role": "group", "aria-label": "Run actions"]) { html in
            html.element(
                "button",
                [
                    "type": "button", "data-api": "POST " + dagPath + "/clearTaskInstances", "data-body": clear.description,
                    "data-confirm": "Clear every task of run " + run.runId + "? They will run again.",
                ], text: "↻ Clear run")
            html.element(
                "button",
                [
                    "type": "button", "data-api": "PATCH " + runPath, "data-body": #"{"state":"success"}"#,
                    "data-confirm": "Mark run " + run.runId + " as success?",
                ], text: "✓ Mark success")
            html.element(
                "button",
                [
                    "type": "button", "class": "danger", "data-api": "PATCH " + runPath, "data-body": #"{"state":"failed"}"#,
                    "data-confirm": "Mark run " + run.runId + " as failed?",
                ], text: "✗ Mark failed")
        }
    }
}

extension Optional {
    /// `map` with an async transform.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
