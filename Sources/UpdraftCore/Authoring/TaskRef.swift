/// A task, branch, group or factory declared in a builder; wire them with `>>` and `<<`.
///
/// ```swift
/// extract >> [clean, enrich]
/// [clean, enrich] >> load      // or chain(extract, [clean, enrich], load)
/// ```
/// A task that returns a value gives a `TaskOutput<Value>`, a `TaskRef` that also carries the
/// value's type (see `TaskGroupBuilder.task(_:_:options:triggerRule:_:)`).
public class TaskRef {
    /// The full id of the task or group.
    public let id: String
    /// Nodes that receive edges coming into this reference.
    let roots: [String]
    /// Nodes that send edges going out of this reference.
    let leaves: [String]
    let storage: GraphStorage

    init(id: String, roots: [String], leaves: [String], storage: GraphStorage) {
        self.id = id; self.roots = roots; self.leaves = leaves; self.storage = storage
    }

    func connect(to downstream: TaskRef) {
        for leaf in leaves { for root in downstream.roots { storage.addEdge(from: leaf, to: root) } }
    }

    /// `a >> b`: b runs after a.
    @discardableResult
    public static func >> (lhs: TaskRef, rhs: TaskRef) -> TaskRef { lhs.connect(to: rhs); return rhs }

    /// `a >> [b, c]`: b and c run after a.
    @discardableResult
    public static func >> (lhs: TaskRef, rhs: [TaskRef]) -> [TaskRef] {
        for target in rhs { lhs.connect(to: target) }
        return rhs
    }

    /// `[a, b] >> c`: c runs after a and b.
    @discardableResult
    public static func >> (lhs: [TaskRef], rhs: TaskRef) -> TaskRef {
        for source in lhs { source.connect(to: rhs) }
        return rhs
    }

    /// `b << a`: b runs after a.
    @discardableResult
    public static func << (lhs: TaskRef, rhs: TaskRef) -> TaskRef { rhs.connect(to: lhs); return rhs }
}

/// A step of `chain(_:)`: one task or group, or a list of them run side by side.
public protocol ChainStep {
    var chainRefs: [TaskRef] { get }
}

extension TaskRef: ChainStep {
    public var chainRefs: [TaskRef] { [self] }
}

extension Array: ChainStep where Element == TaskRef {
    public var chainRefs: [TaskRef] { self }
}

/// Wires steps in a line, like Airflow's `chain`: `chain(extract, [clean, enrich], load)`.
/// (Swift's `>>` does not chain: write `extract >> [a, b]` and `[a, b] >> load`, or use this.)
public func chain(_ steps: any ChainStep...) {
    for (upstream, downstream) in zip(steps, steps.dropFirst()) {
        for source in upstream.chainRefs { for target in downstream.chainRefs { source.connect(to: target) } }
    }
}
