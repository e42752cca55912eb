import Foundation
import HTTPTypes
import Testing
import UpdraftCore
import UpdraftStore

@testable import UpdraftUI

/// The Run page: header facts, the Gantt chart's order, the grouped task table, asset links,
/// escaping, the actions by role, 404s, and a 10,000-task run kept small.
@Suite struct RunPageTests {
    static let dag = RunFixtures.dag

    /// The `data-task` values of the Gantt chart's rows, in order.
    static func ganttTasks(_ html: String) -> [String] {
        guard let start = html.range(of: "<svg class=\"chart gantt\""),
            let end = html.range(of: "</svg>", range: start.upperBound..<html.endIndex)
        else { return [] }
        return html[start.upperBound..<end.lowerBound].components(separatedBy: "data-task=\"").dropFirst().map {
            String($0.prefix { $0 != "\"" })
        }
    }

    @Test(arguments: [
        (TaskState.failed, TaskState.success, true), (.upstreamFailed, .success, true), (.success, .failed, false),
        (.success, .running, true),  // same class: the earlier start comes first
    ])
    func ganttOrderPutsFailuresFirstThenStartTime(first: TaskState, second: TaskState, firstComesFirst: Bool) {
        var a = TaskInstance(runId: "r", dagId: "d", taskId: "a", state: first, tryNumber: 1)
        var b = TaskInstance(runId: "r", dagId: "d", taskId: "b", state: second, tryNumber: 1)
        a.startDate = Date(timeIntervalSince1970: 10)
        b.startDate = Date(timeIntervalSince1970: 20)
        let ordered = RunGantt.order([b, a]).map(\.taskId)
        #expect(ordered == (firstComesFirst ? ["a", "b"] : ["b", "a"]))
    }

    @Test func ganttBarsAreOnePerTryWithTheRunningTryEndingNow() {
        var instance = TaskInstance(runId: "r", dagId: "d", taskId: "t", state: .running, tryNumber: 2)
        instance.startDate = Date(timeIntervalSince1970: 100)
        let first = TaskTry(
            dagId: "d", runId: "r", taskId: "t", tryNumber: 1, state: .failed, startDate: Date(timeIntervalSince1970: 50),
            endDate: Date(timeIntervalSince1970: 60))
        let bars = RunGantt.bars(of: instance, tries: [first], now: Date(timeIntervalSince1970: 130))
        #expect(bars.map(\.tryNumber) == [1, 2])
        #expect(bars.map(\.state) == [.failed, .running])
        #expect(bars[1].end == Date(timeIntervalSince1970: 130))
    }

    @Test func theHeaderShowsTheRunsFactsAndTheConfEscaped() async throws {
        try await UITestServer.with(dags: [Self.dag], role: .viewer) { ui in
            let conf: [String: JSONValue] = ["x": .string("<script>alert(1)</script>"), "n": .number(3)]
            let run = try await RunFixtures.failedRun(ui.store, conf: conf, note: "<b>look</b>")
            let page = try await ui.get("/dags/ui_graph/runs/manual__1")
            #expect(page.status == .ok)
            let html = page.html
            #expect(html.contains("<dt>Run type</dt><dd>manual</dd>"))
            #expect(html.contains("<dt>Triggered by</dt><dd>ui (user)</dd>"))
            #expect(html.contains("<dt>Backfill</dt><dd>#7</dd>"))
            #expect(html.contains("<dt>Duration</dt><dd>1 min 29 s</dd>"))
            #expect(html.contains(TimeText.short(run.dataInterval.start)) && html.contains(TimeText.short(run.dataInterval.end)))
            #expect(html.contains("class=\"badge s-failed\""))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!html.contains("<script>alert(1)"))
            #expect(html.contains("&lt;b&gt;look&lt;/b&gt;") && !html.contains("<b>look"))
            #expect(html.contains("<pre class=\"conf\">{\n  &quot;n&quot; : 3,"))
        }
    }

    @Test func theGanttPutsFailuresFirstAndLinksEachTry() async throws {
        try await UITestServer.with(dags: [Self.dag]) { ui in
            _ = try await RunFixtures.failedRun(ui.store)
            let page = try await ui.get("/dags/ui_graph/runs/manual__1")
            let rows = Self.ganttTasks(page.html)
            #expect(Array(rows.prefix(4)) == ["check", "check", "report", "start"])
            #expect(rows.count == 13)
            #expect(page.html.contains("href=\"/dags/ui_graph/runs/manual__1/tasks/check?try=2\""))
            #expect(page.html.contains("data-try=\"2\""))
            #expect(page.html.contains("did not run"))
        }
    }

    @Test func taskInstancesAreGroupedAndGroupsExpandByLink() async throws {
        try await UITestServer.with(dags: [Self.dag]) { ui in
            _ = try await RunFixtures.failedRun(ui.store)
            let collapsed = try await ui.get("/dags/ui_graph/runs/manual__1")
            #expect(collapsed.html.contains("<tr class=\"group\" data-group=\"per_coin\">"))
            #expect(collapsed.html.contains("href=\"/dags/ui_graph/runs/manual__1?expand=per_coin\""))
            #expect(!collapsed.html.contains("<tr data-task=\"per_coin.load_BTC\">"))
            #expect(collapsed.html.contains("<tr data-task=\"check\">"))
            let expanded = try await ui.get("/dags/ui_graph/runs/manual__1?expand=per_coin")
            #expect(expanded.html.contains("<tr data-task=\"per_coin.load_BTC\">"))
            #expect(expanded.html.contains("href=\"/dags/ui_graph/runs/manual__1/tasks/per_coin.load_BTC\""))
            #expect(expanded.html.contains("aria-expanded=\"true\""))
        }
    }

    @Test func aViewerSeesNoActionsAndAUserDoes() async throws {
        try await UITestServer.with(dags: [Self.dag]) { ui in
            _ = try await RunFixtures.failedRun(ui.store)
            let viewer = try await ui.get("/dags/ui_graph/runs/manual__1", as: .viewer)
            #expect(viewer.status == .ok)
            #expect(!viewer.html.contains("data-api="))
            let user = try await ui.get("/dags/ui_graph/runs/manual__1", as: .user)
            #expect(user.html.contains("data-api=\"POST /api/v2/dags/ui_graph/clearTaskInstances\""))
            #expect(user.html.contains("&quot;dag_run_id&quot;:&quot;manual__1&quot;"))
            #expect(user.html.contains("&quot;only_failed&quot;:false") && user.html.contains("&quot;dry_run&quot;:false"))
            #expect(user.html.contains("data-api=\"PATCH /api/v2/dags/ui_graph/dagRuns/manual__1\""))
            #expect(user.html.contains("data-body=\"{&quot;state&quot;:&quot;success&quot;}\""))
            #expect(user.html.contains("data-body=\"{&quot;state&quot;:&quot;failed&quot;}\""))
            #expect(user.html.contains("data-confirm="))
        }
    }

    @Test func assetEventsLinkTheRunsUpAndDownstream() async throws {
        try await UITestServer.with(dags: [Self.dag]) { ui in
            let upstream = try await RunFixtures.failedRun(ui.store, runId: "up")
            let asset = Asset("prices")
            var references = AssetReferences()
            references.assets = [asset]
            references.consumers[asset.uri] = [Self.dag.id]
            try await ui.store.syncAssets(references, now: RunFixtures.origin)
            var batch = StateBatch()
            batch.assetEvents = [
                AssetEventDraft(asset: asset, sourceRun: upstream.key, sourceTaskId: "start", timestamp: RunFixtures.origin)
            ]
            try await ui.store.commit(batch)
            let queued = try await ui.store.queuedAssetEvents(dagId: Self.dag.id)
            #expect(queued.count == 1)
            let downstream = DAGRun(
                dagId: Self.dag.id, runId: "down", state: .queued, runType: .assetTriggered,
                logicalDate: RunFixtures.origin.addingTimeInterval(60),
                dataInterval: .exact(RunFixtures.origin), queuedAt: RunFixtures.origin)
            try await ui.store.createRun(downstream, instances: [], consumedEvents: queued.map(\.id))
            let down = try await ui.get("/dags/ui_graph/runs/down")
            #expect(down.html.contains("href=\"/dags/ui_graph/runs/up\" class=\"upstream-run\""))
            #expect(down.html.contains(">prices</a>"))
            let up = try await ui.get("/dags/ui_graph/runs/up")
            #expect(up.html.contains("<ul class=\"downstream\">"))
            #expect(up.html.contains("href=\"/dags/ui_graph/runs/down\""))
        }
    }

    @Test func anUnknownRunOrDAGIsNotFound() async throws {
        try await UITestServer.with(dags: [Self.dag]) { ui in
            let unknownRun = try await ui.get("/dags/ui_graph/runs/nope")
            let unknownDAG = try await ui.get("/dags/nope/runs/manual__1")
            #expect(unknownRun.status == .notFound && unknownRun.html.contains("run_id: `nope`"))
            #expect(unknownDAG.status == .notFound)
        }
    }

    @Test func aTenThousandTaskRunStaysSmall() async throws {
        try await UITestServer.with(dags: [Self.dag]) { ui in
            try await RunFixtures.wideRun(ui.store, runId: "wide", count: 10_000)
            let page = try await ui.get("/dags/ui_graph/runs/wide")
            #expect(page.status == .ok)
            #expect(Self.ganttTasks(page.html).count == RunGantt.defaultLimit)
            #expect(page.html.contains("9800 more tries are not shown"))
            #expect(page.html.contains("10000 tasks"))
            #expect(page.html.utf8.count < 150_000)
        }
    }
}
