import Foundation
import HTTPTypes
import Testing
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

@testable import UpdraftUI

/// The Graph page: which nodes and edges a DAG shows with groups collapsed or expanded, state
/// classes for a run, links, 404s, and a 10,000-task factory kept to one node.
@Suite struct GraphPageTests {
    static let dag = RunFixtures.dag

    static func ids(_ scene: GraphScene) -> [String] { scene.nodes.map(\.id) }
    static func edges(_ scene: GraphScene) -> Set<String> {
        Set(scene.edges.map { scene.nodes[$0.0].id + ">" + scene.nodes[$0.1].id })
    }

    @Test func groupsAreCollapsedByDefaultAndTheirEdgesAttachToTheGroupNode() {
        let scene = GraphScene(graph: Self.dag.graph, instances: [], expanded: [])
        #expect(Self.ids(scene) == ["start", "prep", "per_coin", "report", "check"])
        #expect(scene.nodes[1].kind == .group && scene.nodes[1].taskCount == 2)
        #expect(scene.nodes[2].kind == .factoryGroup)
        #expect(scene.boxes.isEmpty)
        #expect(Self.edges(scene) == ["start>prep", "start>per_coin", "prep>report", "per_coin>report", "start>check"])
        #expect(scene.edges.count == 5, "no duplicate edges")
    }

    @Test func anExpandedStaticGroupDrawsItsTasksInABox() {
        let scene = GraphScene(graph: Self.dag.graph, instances: [], expanded: ["prep"])
        #expect(Self.ids(scene).contains("prep.clean") && !Self.ids(scene).contains("prep"))
        #expect(scene.boxes.map(\.id) == ["prep"])
        let clean = scene.nodes.first { $0.id == "prep.clean" }!
        #expect(clean.box == 0 && clean.label == "clean")
        #expect(
            Self.edges(scene).isSuperset(of: ["start>prep.clean", "prep.clean>prep.enrich", "prep.enrich>report", "per_coin>report"]))
    }

    @Test func anExpandedFactoryShowsTheRunsExpansionBetweenTheFactoryAndItsDownstream() async throws {
        let store = MemoryStateStore()
        let run = try await RunFixtures.failedRun(store)
        let instances = try await store.taskInstances(run: run.key)
        let graph = try DAGRegistry.expandedGraph(
            of: Self.dag, params: [:], factoryInputs: try await store.factoryInputs(run: run.key))
        let scene = GraphScene(graph: graph, instances: instances, expanded: ["per_coin"])
        #expect(scene.boxes.map(\.id) == ["per_coin"])
        #expect(scene.boxes[0].isFactory && scene.boxes[0].taskCount == 6)
        let edges = Self.edges(scene)
        for coin in ["BTC", "ETH", "SOL"] {
            #expect(edges.contains("per_coin>per_coin.fetch_\(coin)"))
            #expect(edges.contains("per_coin.fetch_\(coin)>per_coin.load_\(coin)"))
            #expect(edges.contains("per_coin.load_\(coin)>report"))
        }
        #expect(!edges.contains("per_coin>report"), "the expansion's last tasks lead on, not the factory")
        #expect(scene.nodes.first { $0.id == "check" }?.state == .failed)
        // Collapsed: one node with the run's counts and rolled-up state.
        let collapsed = GraphScene(graph: Self.dag.graph, instances: instances, expanded: [])
        let group = collapsed.nodes.first { $0.id == "per_coin" }!
        #expect(group.taskCount == 6 && group.counts == [.success: 6] && group.state == .success)
    }

    @Test func theLatestRunColoursNodesByStateWithGlyphsAndLinks() async throws {
        try await UITestServer.with(dags: [Self.dag], role: .viewer) { ui in
            _ = try await RunFixtures.failedRun(ui.store)
            let page = try await ui.get("/dags/ui_graph/graph")
            #expect(page.status == .ok)
            let html = page.html
            #expect(html.contains("<svg class=\"chart graph\""))
            #expect(html.contains("class=\"node task s-failed st\" data-id=\"check\""))
            #expect(html.contains("class=\"node task s-upstream_failed st\" data-id=\"report\""))
            #expect(html.contains("class=\"node group s-success st\" data-id=\"prep\""))
            #expect(html.contains("class=\"node group s-success st\" data-id=\"per_coin\""))
            #expect(html.contains("✗ check"), "the glyph is in the label")
            #expect(html.contains("href=\"/dags/ui_graph/runs/manual__1/tasks/check\""))
            #expect(html.contains("href=\"/dags/ui_graph/graph?expand=prep\""))
            #expect(html.contains("6 tasks · ✓6"))
            #expect(html.contains("<option value=\"manual__1\" selected>"))
            #expect(html.contains("marker-end=\"url(#arrow)\""))
        }
    }

    @Test func expandingAFactoryForAChosenRunDrawsItsTasks() async throws {
        try await UITestServer.with(dags: [Self.dag]) { ui in
            // A conf the DAG's params do not declare does not stop the expansion from being rebuilt.
            _ = try await RunFixtures.failedRun(ui.store, conf: ["unknown": "value"])
            try await RunFixtures.wideRun(ui.store, runId: "wide", count: 20)
            let page = try await ui.get("/dags/ui_graph/graph?run_id=manual__1&expand=per_coin,prep")
            #expect(page.status == .ok)
            #expect(page.html.contains("data-group=\"per_coin\""))
            #expect(page.html.contains("data-group=\"prep\""))
            #expect(page.html.contains("data-id=\"per_coin.load_SOL\""))
            #expect(!page.html.contains("could not be rebuilt"))
            #expect(page.html.contains("data-from=\"per_coin.fetch_SOL\" data-to=\"per_coin.load_SOL\""))
            #expect(page.html.contains("data-from=\"per_coin.load_SOL\" data-to=\"report\""))
            #expect(page.html.contains("data-from=\"start\" data-to=\"prep.clean\""))
            #expect(page.html.contains("<option value=\"manual__1\" selected>"))
            // The box's label collapses it again, keeping the rest.
            #expect(page.html.contains("href=\"/dags/ui_graph/graph?run_id=manual__1&amp;expand=prep\""))
        }
    }

    @Test func aTenThousandTaskFactoryStaysOneNodeUntilExpanded() async throws {
        try await UITestServer.with(dags: [Self.dag]) { ui in
            try await RunFixtures.wideRun(ui.store, runId: "wide", count: 10_000)
            let page = try await ui.get("/dags/ui_graph/graph?run_id=wide")
            #expect(page.status == .ok)
            #expect(page.html.contains("10000 tasks · ✓10000"))
            #expect(!page.html.contains("load_C9999"))
            #expect(page.html.utf8.count < 60_000)
        }
    }

    @Test func withoutRunsTheStructureIsDrawnWithoutStates() async throws {
        try await UITestServer.with(dags: [Self.dag]) { ui in
            let page = try await ui.get("/dags/ui_graph/graph")
            #expect(page.status == .ok)
            #expect(page.html.contains("No runs yet"))
            #expect(page.html.contains("data-id=\"start\""))
            #expect(!page.html.contains(" st\""))
        }
    }

    @Test func anUnknownDAGOrRunIsNotFound() async throws {
        try await UITestServer.with(dags: [Self.dag]) { ui in
            let unknownDAG = try await ui.get("/dags/nope/graph")
            #expect(unknownDAG.status == .notFound)
            let page = try await ui.get("/dags/ui_graph/graph?run_id=%3Cb%3Enope")
            #expect(page.status == .notFound)
            #expect(page.html.contains("&lt;b&gt;nope") && !page.html.contains("<b>nope"))
        }
    }
}
