/// Typed dataflow: tasks that take other tasks' outputs as arguments (see `TaskOutput`).
extension TaskGroupBuilder {
    /// A task whose returned value is its `return_value` XCom, handed on typed as a `TaskOutput`.
    @discardableResult
    public func task<Output: Codable & Sendable>(
        _ id: String, options: TaskOptions? = nil, triggerRule: TriggerRule? = nil,
        _ body: @escaping @Sendable (TaskContext) async throws -> Output
    ) -> TaskOutput<Output> {
        let ref: TaskRef = add(
            id, .task({ context in try XComCoding.encode(try await body(context)) }),
            options: options, triggerRule: triggerRule)
        return TaskOutput(id: ref.id, roots: ref.roots, leaves: ref.leaves, storage: storage)
    }

    /// A task fed by the outputs of other tasks: each input becomes an upstream edge, and the
    /// body receives the values with their types, in order.
    ///
    /// ```swift
    /// let total = d.task("total", prices, volumes) { ctx, prices, volumes in zip(prices, volumes).map(*) }
    /// ```
    /// A missing value (the producer was skipped) or a failed read fails the try with the reason.
    @discardableResult
    public func task<each Input: Codable & Sendable, Output: Codable & Sendable>(
        _ id: String, _ inputs: repeat TaskOutput<each Input>, options: TaskOptions? = nil,
        triggerRule: TriggerRule? = nil,
        _ body: @escaping @Sendable (TaskContext, repeat each Input) async throws -> Output
    ) -> TaskOutput<Output> {
        let sources = Self.ids(repeat each inputs)
        let output = task(id, options: options, triggerRule: triggerRule) { context -> Output in
            var reader = TaskInputReader(context: context, sources: sources)
            return try await body(context, repeat try reader.next((each Input).self))
        }
        for input in repeat each inputs { input >> output }
        return output
    }

    /// A task fed by the outputs of other tasks that returns nothing.
    @discardableResult
    public func task<each Input: Codable & Sendable>(
        _ id: String, _ inputs: repeat TaskOutput<each Input>, options: TaskOptions? = nil,
        triggerRule: TriggerRule? = nil,
        _ body: @escaping @Sendable (TaskContext, repeat each Input) async throws -> Void
    ) -> TaskRef {
        let sources = Self.ids(repeat each inputs)
        let ref = task(id, options: options, triggerRule: triggerRule) { context in
            var reader = TaskInputReader(context: context, sources: sources)
            try await body(context, repeat try reader.next((each Input).self))
        }
        for input in repeat each inputs { input >> ref }
        return ref
    }

    private static func ids<each Input>(_ inputs: repeat TaskOutput<each Input>) -> [String] {
        var ids: [String] = []
        for input in repeat each inputs { ids.append(input.taskId) }
        return ids
    }

    /// A sub-DAG factory fed by a typed output: its input type is the output's, so no `as:`.
    ///
    /// ```swift
    /// let symbols = d.task("symbols") { _ in ["BTCUSDT", "ETHUSDT"] }
    /// d.factory("per_symbol", from: symbols) { symbols, g in
    ///     for symbol in symbols { g.task("load_\\(symbol)") { ctx in ctx.log.info(symbol) } }
    /// }
    /// ```
    @discardableResult
    public func factory<Input: Codable & Sendable>(
        _ id: String, from source: TaskOutput<Input>, options: TaskOptions? = nil,
        fanOutCap: Int = TaskFactory.defaultFanOutCap,
        _ build: @escaping @Sendable (Input, TaskGroupBuilder) throws -> Void
    ) -> TaskRef {
        factory(id, from: source, as: Input.self, options: options, fanOutCap: fanOutCap, build)
    }
}

/// Reads a typed task's inputs in declaration order.
struct TaskInputReader {
    let context: TaskContext
    let sources: [String]
    private var position = 0

    init(context: TaskContext, sources: [String]) { self.context = context; self.sources = sources }

    mutating func next<Value: Decodable>(_ type: Value.Type) throws -> Value {
        defer { position += 1 }
        return try context.input(type, from: sources[position])
    }
}
