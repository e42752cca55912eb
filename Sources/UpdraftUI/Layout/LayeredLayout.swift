/// A layered (Sugiyama-style) layout of a directed graph drawn left to right, with nested boxes
/// (expanded groups) laid out as one item of their parent. Pure: sizes in, rectangles out.
///
/// Per container (the root, or a box), its direct members (nodes and child boxes) are layered by
/// longest path (cycles broken by reversing DFS back edges), ordered by a few barycenter sweeps,
/// then placed: one column per layer, each item near the mean height of its predecessors, never
/// overlapping the one above. A box is sized by its content first, so an edge between members of
/// different boxes orders the boxes that hold them. Linear in nodes and edges per sweep.
///
/// ```swift
/// let result = LayeredLayout.layout(
///     nodes: [.init(width: 80, height: 28), .init(width: 80, height: 28)], boxes: [], edges: [(0, 1)])
/// result.nodes[0].maxX < result.nodes[1].x   // true
/// ```
public enum LayeredLayout {
    /// A node to place: its size and the box holding it (nil: the top level).
    public struct Node: Sendable, Hashable {
        public var width: Double
        public var height: Double
        public var box: Int?
        public init(width: Double, height: Double, box: Int? = nil) { self.width = width; self.height = height; self.box = box }
    }

    /// A box around its members (nodes and boxes whose `box`/`parent` is its index).
    public struct Box: Sendable, Hashable {
        public var parent: Int?
        public init(parent: Int? = nil) { self.parent = parent }
    }

    /// A placed rectangle.
    public struct Rect: Sendable, Hashable {
        public var x: Double, y: Double, width: Double, height: Double
        public var maxX: Double { x + width }
        public var maxY: Double { y + height }
        public var midY: Double { y + height / 2 }
        /// `other` lies inside this rectangle (edges included).
        public func contains(_ other: Rect) -> Bool {
            other.x >= x && other.y >= y && other.maxX <= maxX && other.maxY <= maxY
        }
        /// The two rectangles share area.
        public func overlaps(_ other: Rect) -> Bool {
            x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
        }
    }

    /// Gaps between layers and items, and a box's padding (its label sits in `boxTop`).
    public struct Spacing: Sendable, Hashable {
        public var layerGap: Double = 56
        public var itemGap: Double = 14
        public var boxPadding: Double = 10
        public var boxTop: Double = 22
        public var sweeps: Int = 4
        public init() {}
    }

    /// Where everything went; `width` and `height` bound the drawing.
    public struct Result: Sendable {
        public var nodes: [Rect]
        public var boxes: [Rect]
        public var width: Double
        public var height: Double
    }

    /// One member of a container: a node or a box.
    enum Item: Hashable { case node(Int), box(Int) }

    public static func layout(nodes: [Node], boxes: [Box], edges: [(Int, Int)], spacing: Spacing = Spacing()) -> Result {
        // Depth of each box, and the members of each container (index boxes.count is the root).
        let root = boxes.count
        var depth = [Int](repeating: -1, count: boxes.count)
        func boxDepth(_ b: Int) -> Int {
            if depth[b] >= 0 { return depth[b] }
            var chain: [Int] = []
            var current: Int? = b
            while let c = current, depth[c] < 0, chain.count <= boxes.count {
                chain.append(c)
                current = boxes[c].parent
            }
            var base = current.map { depth[$0] } ?? -1
            for c in chain.reversed() {
                base += 1
                depth[c] = base
            }
            return depth[b]
        }
        for b in boxes.indices { _ = boxDepth(b) }
        var members = [[Item]](repeating: [], count: boxes.count + 1)
        for (index, node) in nodes.enumerated() { members[node.box ?? root].append(.node(index)) }
        for (index, box) in boxes.enumerated() { members[box.parent ?? root].append(.box(index)) }
        var position: [Item: Int] = [:]
        for container in members { for (i, item) in container.enumerated() { position[item] = i } }

        // Each edge between the two items of their lowest common container.
        var local = [[(Int, Int)]](repeating: [], count: boxes.count + 1)
        var seen = Set<[Int]>()
        for (from, to) in edges where from != to && nodes.indices.contains(from) && nodes.indices.contains(to) {
            var a = Item.node(from), b = Item.node(to)
            var ca = nodes[from].box, cb = nodes[to].box
            func level(_ c: Int?) -> Int { c.map { depth[$0] } ?? -1 }
            while ca != cb {
                if level(ca) >= level(cb), let c = ca {
                    a = .box(c); ca = boxes[c].parent
                } else if let c = cb {
                    b = .box(c); cb = boxes[c].parent
                }
            }
            let container = ca ?? root
            let pair = [container, position[a]!, position[b]!]
            if pair[1] != pair[2], seen.insert(pair).inserted { local[container].append((pair[1], pair[2])) }
        }

        // Lay out containers deepest first; a box's size comes from its content.
        var itemSize: [Item: (Double, Double)] = [:]
        for (index, node) in nodes.enumerated() { itemSize[.node(index)] = (node.width, node.height) }
        var offsets = [[(Double, Double)]](repeating: [], count: boxes.count + 1)
        var contentSize = [(Double, Double)](repeating: (0, 0), count: boxes.count + 1)
        let order = boxes.indices.sorted { depth[$0] > depth[$1] } + [root]
        for container in order {
            let items = members[container]
            let sizes = items.map { itemSize[$0] ?? (0, 0) }
            let placed = place(sizes: sizes, edges: local[container], spacing: spacing)
            offsets[container] = placed.origins
            contentSize[container] = (placed.width, placed.height)
            if container != root {
                itemSize[.box(container)] = (
                    max(placed.width + 2 * spacing.boxPadding, 120), placed.height + spacing.boxPadding + spacing.boxTop
                )
            }
        }

        // Absolute positions, top down.
        var nodeRects = [Rect](repeating: Rect(x: 0, y: 0, width: 0, height: 0), count: nodes.count)
        var boxRects = [Rect](repeating: Rect(x: 0, y: 0, width: 0, height: 0), count: boxes.count)
        var stack: [(Int, Double, Double)] = [(root, 0, 0)]
        while let (container, originX, originY) = stack.popLast() {
            for (i, item) in members[container].enumerated() {
                let (dx, dy) = offsets[container][i]
                let (w, h) = itemSize[item] ?? (0, 0)
                let rect = Rect(x: originX + dx, y: originY + dy, width: w, height: h)
                switch item {
                case .node(let n): nodeRects[n] = rect
                case .box(let b):
                    boxRects[b] = rect
                    stack.append((b, rect.x + spacing.boxPadding, rect.y + spacing.boxTop))
                }
            }
        }
        return Result(nodes: nodeRects, boxes: boxRects, width: contentSize[root].0, height: contentSize[root].1)
    }

    /// A flat layout of items with these sizes: the top-left corner of each, and the bounds.
    static func place(
        sizes: [(Double, Double)], edges: [(Int, Int)], spacing: Spacing
    ) -> (
        origins: [(Double, Double)], width: Double, height: Double
    ) {
        let count = sizes.count
        guard count > 0 else { return ([], 0, 0) }
        let acyclic = breakCycles(count: count, edges: edges)
        var preds = [[Int]](repeating: [], count: count)
        var succs = [[Int]](repeating: [], count: count)
        for (u, v) in acyclic {
            preds[v].append(u)
            succs[u].append(v)
        }
        let layer = layers(count: count, preds: preds, succs: succs)
        let layerCount = (layer.max() ?? 0) + 1
        var rows = [[Int]](repeating: [], count: layerCount)
        for item in 0..<count { rows[layer[item]].append(item) }
        var rank = [Double](repeating: 0, count: count)
        func rerank(_ row: [Int]) {
            let middle = Double(row.count - 1) / 2
            for (i, item) in row.enumerated() { rank[item] = Double(i) - middle }
        }
        rows.forEach(rerank)
        for sweep in 0..<spacing.sweeps {
            let downward = sweep % 2 == 0
            let sequence = downward ? Array(1..<max(1, layerCount)) : Array((0..<max(0, layerCount - 1)).reversed())
            for l in sequence {
                let keyed = rows[l].map { item -> (Int, Double) in
                    let neighbours = downward ? preds[item] : succs[item]
                    guard !neighbours.isEmpty else { return (item, rank[item]) }
                    return (item, neighbours.reduce(0) { $0 + rank[$1] } / Double(neighbours.count))
                }
                rows[l] = keyed.enumerated().sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }.map(\.element.0)
                rerank(rows[l])
            }
        }
        // Columns, then heights near the predecessors' middle.
        var origins = [(Double, Double)](repeating: (0, 0), count: count)
        var columnX = 0.0
        var height = 0.0
        for row in rows {
            let columnWidth = row.map { sizes[$0].0 }.max() ?? 0
            var bottom = -spacing.itemGap
            for item in row {
                let (w, h) = sizes[item]
                var top = bottom + spacing.itemGap
                if !preds[item].isEmpty {
                    let middle = preds[item].reduce(0) { $0 + origins[$1].1 + sizes[$1].1 / 2 } / Double(preds[item].count)
                    top = max(top, middle - h / 2)
                }
                origins[item] = (columnX + (columnWidth - w) / 2, top)
                bottom = top + h
            }
            height = max(height, bottom)
            columnX += columnWidth + spacing.layerGap
        }
        return (origins, max(0, columnX - spacing.layerGap), height)
    }

    /// The edges with those closing a cycle (DFS back edges) reversed, self-loops dropped.
    static func breakCycles(count: Int, edges: [(Int, Int)]) -> [(Int, Int)] {
        var out = [[Int]](repeating: [], count: count)
        for (u, v) in edges where u != v { out[u].append(v) }
        var state = [UInt8](repeating: 0, count: count)  // 1 on the stack, 2 done
        var back = Set<[Int]>()
        for start in 0..<count where state[start] == 0 {
            var stack: [(Int, Int)] = [(start, 0)]
            state[start] = 1
            while let (node, next) = stack.last {
                if next < out[node].count {
                    stack[stack.count - 1].1 += 1
                    let child = out[node][next]
                    if state[child] == 1 {
                        back.insert([node, child])
                    } else if state[child] == 0 {
                        state[child] = 1
                        stack.append((child, 0))
                    }
                } else {
                    state[node] = 2
                    stack.removeLast()
                }
            }
        }
        return edges.compactMap { u, v in u == v ? nil : back.contains([u, v]) ? (v, u) : (u, v) }
    }

    /// Longest-path layers of an acyclic graph: sources at 0, each item one past its deepest predecessor.
    static func layers(count: Int, preds: [[Int]], succs: [[Int]]) -> [Int] {
        var layer = [Int](repeating: 0, count: count)
        var remaining = preds.map(\.count)
        var queue = (0..<count).filter { remaining[$0] == 0 }
        var head = 0
        while head < queue.count {
            let item = queue[head]
            head += 1
            for next in succs[item] {
                layer[next] = max(layer[next], layer[item] + 1)
                remaining[next] -= 1
                if remaining[next] == 0 { queue.append(next) }
            }
        }
        return layer
    }
}
