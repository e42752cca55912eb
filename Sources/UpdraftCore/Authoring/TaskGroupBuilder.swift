import Foundation

/// Declares the tasks of a DAG, of a static group, or of a sub-DAG built by a factory.
///
/// ```swift
/// let symbols = d.task("get_symbols") { _ in ["BTCUSDT", "ETHUSDT"] }
/// let historical = d.factory("historical", from: symbols, as: [String].self) { symbols, g in
///     for symbol in symbols {
///         g.group(symbol) { s in
///             let files = s.task("list_files") { _ in ["2024_01", "2024_02"] }
///             s.factory("files", from: files, as: [String].self) { names, f in
///                 for name in names { f.task("load_\(name)") { ctx in ctx.log.info("load \(symbol) \(name)") } }
///             }
///         }
///     }
/// }
/// symbols >> historical
/// ```
public final class TaskGroupBuilder {
    let storage: GraphStorage
    /// Full id of the group being built ("" at the top of a DAG).
    let prefix: String

    init(storage: GraphStorage, prefix: String) {
        self.storage = storage
        self.prefix = prefix
    }

    private func fullId(_ id: String) -> String { prefix.isEmpty ? id : "\(prefix).\(id)" }
    private var group: String? { prefix.isEmpty ? nil : prefix }

    func add(_ id: String, _ kind: TaskKind, options: TaskOptions?, triggerRule: TriggerRule?) -> TaskRef {
        var resolved = options ?? storage.defaults
        // A task that names no queue of its own runs on the DAG's (`DAG.onQueue`).
        if resolved.queue == TaskOptions.defaultQueue { resolved.queue = storage.defaults.queue }
        if let triggerRule { resolved.triggerRule = triggerRule }
        let full = fullId(id)
        storage.add(TaskNode(id: full, options: resolved, kind: kind, group: group, factory: storage.factory))
        return TaskRef(id: full, roots: [full], leaves: [full], storage: storage)
    }

    /// A task that returns nothing.
    @discardableResult
    public func task(
        _ id: String, options: TaskOptions? = nil, triggerRule: TriggerRule? = nil,
        _ body: @escaping @Sendable (TaskContext) async throws -> Void
    ) -> TaskRef {
        add(
            id,
            .task({ context in
                try await body(context); return nil
            }), options: options, triggerRule: triggerRule)
    }

    /// A task whose returned value becomes its `return_value` XCom (and can feed a factory).
    @discardableResult
    public func task<Output: Encodable & Sendable>(
        _ id: String, options: TaskOptions? = nil, triggerRule: TriggerRule? = nil,
        _ body: @escaping @Sendable (TaskContext) async throws -> Output
    ) -> TaskRef {
        add(
            id, .task({ context in try XComCoding.encode(try await body(context)) }),
            options: options, triggerRule: triggerRule)
    }

    /// A branch: returns the ids (local or full) of the direct downstream tasks to follow;
    /// the other direct downstream tasks are skipped.
    @discardableResult
    public func branch(
        _ id: String, options: TaskOptions? = nil,
        _ body: @escaping @Sendable (TaskContext) async throws -> [String]
    ) -> TaskRef {
        add(
            id, .branch({ context in try XComCoding.encode(try await body(context)) }),
            options: options, triggerRule: nil)
    }

    /// A static group: its tasks get ids `<group>.<task>`; edges to the group reach its first
    /// tasks, edges from it leave its last tasks.
    @discardableResult
    public func group(_ id: String, _ build: (TaskGroupBuilder) -> Void) -> TaskRef {
        let full = fullId(id)
        storage.addGroup(full)
        build(TaskGroupBuilder(storage: storage, prefix: full))
        let members = storage.members(of: full)
        let memberIds = Set(members.map(\.id))
        let inner = Set(members.flatMap { $0.upstream.filter(memberIds.contains) })
        let roots = members.filter { !$0.upstream.contains(where: memberIds.contains) }.map(\.id)
        let leaves = members.map(\.id).filter { !inner.contains($0) }
        return TaskRef(id: full, roots: roots, leaves: leaves, storage: storage)
    }

    /// A sub-DAG factory fed by `source`'s returned value, decoded as `Input`.
    /// It depends on `source`; its tasks are `<factory>.<id>`; it takes no slot itself.
    @discardableResult
    public func factory<Input: Decodable & Sendable>(
        _ id: String, from source: TaskRef, as input: Input.Type, options: TaskOptions? = nil,
        fanOutCap: Int = TaskFactory.defaultFanOutCap,
        _ build: @escaping @Sendable (Input, TaskGroupBuilder) throws -> Void
    ) -> TaskRef {
        let sourceId = source.leaves.first ?? source.id
        let factory = TaskFactory(source: sourceId, fanOutCap: fanOutCap) { bytes, _, builder in
            try build(try XComCoding.decode(Input.self, from: bytes, source: "output of \(sourceId)"), builder)
        }
        let ref = add(id, .factory(factory), options: options, triggerRule: nil)
        source >> ref
        return ref
    }

    /// A sub-DAG factory fed by the run's params (conf merged over defaults).
    @discardableResult
    public func factory(
        _ id: String, options: TaskOptions? = nil, fanOutCap: Int = TaskFactory.defaultFanOutCap,
        _ build: @escaping @Sendable ([String: JSONValue], TaskGroupBuilder) throws -> Void
    ) -> TaskRef {
        let factory = TaskFactory(source: nil, fanOutCap: fanOutCap) { _, params, builder in try build(params, builder) }
        return add(id, .factory(factory), options: options, triggerRule: nil)
    }
}
