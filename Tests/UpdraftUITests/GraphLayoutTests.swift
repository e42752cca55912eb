import Testing

@testable import UpdraftUI

/// The layered layout's properties, table-driven: edges go left to right, nodes never overlap,
/// boxes hold their members and do not overlap what they do not hold.
@Suite struct GraphLayoutTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var nodes: [LayeredLayout.Node]
        var boxes: [LayeredLayout.Box] = []
        var edges: [[Int]]
        /// Every edge is expected to run left to right (false where the input has a cycle).
        var acyclic = true
        var description: String { name }
    }

    static func task(_ box: Int? = nil, width: Double = 90) -> LayeredLayout.Node {
        LayeredLayout.Node(width: width, height: 30, box: box)
    }

    static let cases: [Case] = [
        Case(name: "chain", nodes: [task(), task(), task()], edges: [[0, 1], [1, 2]]),
        Case(name: "diamond", nodes: [task(), task(), task(), task()], edges: [[0, 1], [0, 2], [1, 3], [2, 3]]),
        Case(name: "fan out and in", nodes: (0..<12).map { _ in task() }, edges: (1...10).flatMap { [[0, $0], [$0, 11]] }),
        Case(name: "long edge skips layers", nodes: [task(), task(), task(), task()], edges: [[0, 1], [1, 2], [2, 3], [0, 3]]),
        Case(name: "disconnected", nodes: [task(), task(width: 200), task()], edges: []),
        Case(
            name: "nested boxes", nodes: [task(), task(0), task(0), task(1), task(1), task()],
            boxes: [LayeredLayout.Box(), LayeredLayout.Box(parent: 0)], edges: [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]),
        Case(
            name: "edges across sibling boxes", nodes: [task(0), task(0), task(1), task(1), task()],
            boxes: [LayeredLayout.Box(), LayeredLayout.Box()], edges: [[0, 1], [1, 2], [2, 3], [3, 4], [0, 4]]),
        Case(name: "cycle", nodes: [task(), task(), task()], edges: [[0, 1], [1, 2], [2, 0]], acyclic: false),
        Case(name: "duplicate edges and self loop", nodes: [task(), task()], edges: [[0, 1], [0, 1], [1, 1]]),
    ]

    @Test(arguments: cases) func layoutProperties(_ c: Case) {
        let result = LayeredLayout.layout(nodes: c.nodes, boxes: c.boxes, edges: c.edges.map { ($0[0], $0[1]) })
        #expect(result.nodes.count == c.nodes.count)
        if c.acyclic {
            for edge in c.edges where edge[0] != edge[1] {
                #expect(result.nodes[edge[0]].maxX < result.nodes[edge[1]].x, "edge \(edge) goes left to right")
            }
        }
        for i in c.nodes.indices {
            #expect(result.nodes[i].width == c.nodes[i].width && result.nodes[i].height == c.nodes[i].height)
            for j in c.nodes.indices where j > i {
                #expect(!result.nodes[i].overlaps(result.nodes[j]), "nodes \(i) and \(j) overlap")
            }
        }
        for (b, box) in c.boxes.enumerated() {
            let rect = result.boxes[b]
            for (i, node) in c.nodes.enumerated() {
                if Self.isInside(node.box, b, c.boxes) {
                    #expect(rect.contains(result.nodes[i]), "box \(b) contains node \(i)")
                } else {
                    #expect(!rect.overlaps(result.nodes[i]), "box \(b) stays clear of node \(i)")
                }
            }
            if let parent = box.parent { #expect(result.boxes[parent].contains(rect), "box \(parent) contains box \(b)") }
        }
        for node in result.nodes { #expect(node.maxX <= result.width + 0.001 && node.maxY <= result.height + 0.001) }
    }

    /// Whether a member of `box` lies (at any depth) inside box `target`.
    static func isInside(_ box: Int?, _ target: Int, _ boxes: [LayeredLayout.Box]) -> Bool {
        var current = box
        while let b = current {
            if b == target { return true }
            current = boxes[b].parent
        }
        return false
    }

    @Test func barycenterSweepsUncrossAMirroredBipartiteGraph() {
        // a0 → b1, a1 → b0: declared crossed; after the sweeps b1 sits level with a0 (above b0).
        let result = LayeredLayout.layout(nodes: (0..<4).map { _ in Self.task() }, boxes: [], edges: [(0, 3), (1, 2)])
        #expect(result.nodes[0].y < result.nodes[1].y)
        #expect(result.nodes[3].y < result.nodes[2].y)
    }

    @Test func aThousandNodeGraphIsLaidOutInLayers() {
        // A deterministic pseudo-random DAG: each node depends on up to three earlier ones.
        var seed: UInt64 = 42
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let count = 1_000
        var edges: [(Int, Int)] = []
        for node in 1..<count {
            for _ in 0..<(1 + next(3)) { edges.append((max(0, node - 1 - next(40)), node)) }
        }
        let result = LayeredLayout.layout(nodes: (0..<count).map { _ in Self.task() }, boxes: [], edges: edges)
        #expect(edges.allSatisfy { result.nodes[$0.0].maxX < result.nodes[$0.1].x })
        // Nodes sharing a column never overlap (sorted by top, each starts below the previous).
        let columns = Dictionary(grouping: result.nodes.indices) { result.nodes[$0].x }
        for column in columns.values {
            let sorted = column.map { result.nodes[$0] }.sorted { $0.y < $1.y }
            for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(a.maxY <= b.y) }
        }
    }

    @Test(arguments: [
        (["a.b.c"], "a.b.c", ["a", "a.b"]),
        ([], "x", []),
    ])
    func expandQueryLinks(expanded: [String], group: String, ancestors: [String]) {
        let query = ExpandQuery(runId: "r 1", expanded: Set(expanded))
        #expect(ExpandQuery.ancestors(of: group).sorted() == ancestors)
        #expect(query.adding("z").string.contains("run_id=r%201"))
        #expect(query.adding("z").expanded.contains("z"))
        #expect(ExpandQuery(runId: nil, expanded: ["a", "a.b", "ab"]).removing("a").expanded == ["ab"])
    }
}
