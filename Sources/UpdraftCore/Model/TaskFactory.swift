/// Builds a group of tasks at run time from an upstream task's output (or the run's params).
///
/// The input is stored with the run, so a worker rebuilds the same tasks from it and needs no
/// code shipped to it. The group never takes a slot: only its children do.
public struct TaskFactory: Sendable {
    /// The full id of the node whose `return_value` is the input; nil: the run's params.
    public var source: String?
    /// Most nodes one expansion may create (nested groups included).
    public var fanOutCap: Int
    let build: @Sendable ([UInt8], [String: JSONValue], TaskGroupBuilder) throws -> Void

    /// A factory; builders create these through `TaskGroupBuilder.factory`.
    public init(
        source: String?, fanOutCap: Int = TaskFactory.defaultFanOutCap,
        build: @escaping @Sendable ([UInt8], [String: JSONValue], TaskGroupBuilder) throws -> Void
    ) {
        self.source = source; self.fanOutCap = fanOutCap; self.build = build
    }

    /// The default fan-out cap.
    public static let defaultFanOutCap = 100_000

    /// The nodes of the group `factoryId` built from `input`; validated like a DAG unless
    /// `validating` is false (a rebuild of an expansion the run's owner already validated).
    public func expand(
        factoryId: String, input: [UInt8], params: [String: JSONValue],
        defaults: TaskOptions, validating: Bool = true
    ) throws -> [TaskNode] {
        let storage = GraphStorage(defaults: defaults, factory: factoryId, capacity: fanOutCap)
        let builder = TaskGroupBuilder(storage: storage, prefix: factoryId)
        do { try build(input, params, builder) } catch { throw GraphError.factoryFailed(factoryId, "\(error)") }
        if storage.dropped > 0 {
            throw GraphError.fanOutCapExceeded(factoryId, storage.nodes.count + storage.dropped, fanOutCap)
        }
        if validating, let problem = TaskGraph(nodes: storage.nodes, groups: storage.groups).validate(externalIds: []).first {
            throw problem
        }
        return storage.nodes
    }
}
