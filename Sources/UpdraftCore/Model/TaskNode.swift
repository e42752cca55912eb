/// A task body: returns the encoded `return_value` XCom (or nil).
public typealias TaskBody = @Sendable (TaskContext) async throws -> [UInt8]?

/// One node of a DAG's graph: a task, a branch, or a sub-DAG factory.
public struct TaskNode: Sendable {
    /// The full id, e.g. `historical.BTCUSDT.load_2024_01`.
    public var id: String
    /// Full ids of the direct upstream nodes.
    public var upstream: [String]
    public var options: TaskOptions
    public var kind: TaskKind
    /// The enclosing group's full id (static group or factory), nil at the top level.
    public var group: String?
    /// The factory whose expansion created this node, nil for static nodes.
    public var factory: String?

    public init(
        id: String, upstream: [String] = [], options: TaskOptions = TaskOptions(),
        kind: TaskKind, group: String? = nil, factory: String? = nil
    ) {
        self.id = id; self.upstream = upstream; self.options = options
        self.kind = kind; self.group = group; self.factory = factory
    }

    /// The id inside its group (`load_2024_01`).
    public var localId: String {
        guard let group else { return id }
        return String(id.dropFirst(group.count + 1))
    }

    /// The node is a sub-DAG factory (a group that takes no slot).
    public var isFactory: Bool { if case .factory = kind { true } else { false } }
}

/// What a node does when it runs.
public enum TaskKind: Sendable {
    /// Runs `body` in a worker.
    case task(TaskBody)
    /// Runs `body`, which returns the ids of the downstream tasks to follow; the others are skipped.
    case branch(TaskBody)
    /// Expands into a group of nodes built from an upstream task's output.
    case factory(TaskFactory)

    /// A short name for listings (`task`, `branch`, `factory`).
    public var name: String {
        switch self {
        case .task: "task";
        case .branch: "branch";
        case .factory: "factory"
        }
    }
}
