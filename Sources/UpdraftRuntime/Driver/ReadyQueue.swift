/// Tasks ready for a slot: highest priority first, then first come (a binary heap).
struct ReadyQueue {
    private var heap: [(priority: Int, sequence: Int, id: String)] = []
    private var sequence = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var first: String? { heap.first?.id }

    mutating func push(_ id: String, priority: Int) {
        sequence += 1
        heap.append((priority, sequence, id))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func pop() -> String? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < heap.count && before(heap[left], heap[best]) { best = left }
            if right < heap.count && before(heap[right], heap[best]) { best = right }
            if best == parent { break }
            heap.swapAt(parent, best)
            parent = best
        }
        return top.id
    }

    private func before(_ a: (priority: Int, sequence: Int, id: String), _ b: (priority: Int, sequence: Int, id: String)) -> Bool {
        a.priority != b.priority ? a.priority > b.priority : a.sequence < b.sequence
    }
}
