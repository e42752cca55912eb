import Foundation

/// A workflow: tasks, their dependencies, a schedule and run limits.
///
/// ```swift
/// let etl = DAG("etl", schedule: "@daily", startDate: .utc(2024, 1, 1), tags: ["example"],
///               params: [.integer("limit", default: 100)]) { d in
///     let extract = d.task("extract") { ctx in [1, 2, 3] }       // TaskOutput<[Int]>
///     let double = d.task("double", extract) { ctx, rows in      // edge extract >> double,
///         rows.map { $0 * 2 }                                     // rows arrive as [Int]
///     }
///     let check = d.task("check", options: TaskOptions(retry: RetryPolicy(retries: 2, initialDelay: .seconds(5)))) { ctx in
///         ctx.log.info("checking \(ctx.runId)")
///     }
///     let load = d.task("load") { ctx in ctx.log.info("loaded") }
///     extract >> [double, check]          // Swift's >> does not chain: one edge set per statement
///     [double, check] >> load              // or: chain(extract, [double, check], load)
/// }
/// ```
/// Problems found while building (cycles, duplicate ids, unknown dependencies, a bad schedule)
/// are collected in `problems`; registering the DAG throws them.
public struct DAG: Sendable {
    public var id: String
    public var schedule: Schedule
    /// The schedule as written (`"@daily"`, `"0 */6 * * *"`, nil when only triggered).
    public var scheduleText: String?
    public var startDate: Date
    /// Create one run per missed interval since `startDate` (Airflow 3 default: false).
    public var catchup: Bool
    public var maxActiveRuns: Int
    public var maxActiveTasks: Int
    /// Options for tasks that pass none.
    public var defaults: TaskOptions
    public var tags: [String]
    public var description: String
    public var params: [DAGParam]
    /// Runs when queued asset events satisfy it (with `schedule` too: on time or on assets,
    /// Airflow's `AssetOrTimeSchedule`); nil when the DAG is not scheduled on assets.
    public var assetCondition: AssetCondition?
    /// As soon as a task fails for good, running tasks are failed and unstarted ones skipped
    /// (Airflow 3's `fail_fast`).
    public var failFast: Bool
    /// The DAG starts paused when first seen by a store.
    public var isPausedAtCreation: Bool
    /// A run taking longer than this fails; its unfinished tasks are skipped.
    public var dagrunTimeout: Duration?
    /// Pools the tasks use, with the slots to create them with when a store does not have them yet
    /// (an existing pool keeps its size; change it with `updraft pools set`).
    public var pools: [String: Int]
    /// Called in the owning process when a run succeeds.
    public var onSuccess: TaskCallback?
    /// Called in the owning process when a run fails.
    public var onFailure: TaskCallback?
    public internal(set) var graph: TaskGraph
    /// Problems found while building; non-empty means the DAG cannot be registered.
    public private(set) var problems: [GraphError]

    /// Builds the DAG: `build` declares its tasks on a builder (see the example above).
    public init(
        _ id: String, schedule: String? = nil, assets: AssetCondition? = nil, startDate: Date = Date(timeIntervalSince1970: 1_704_067_200),
        catchup: Bool = false, maxActiveRuns: Int = 16, maxActiveTasks: Int = 16,
        defaults: TaskOptions = TaskOptions(), tags: [String] = [], description: String = "",
        params: [DAGParam] = [], isPausedAtCreation: Bool = false, dagrunTimeout: Duration? = nil,
        pools: [String: Int] = [:], failFast: Bool = false, onSuccess: TaskCallback? = nil,
        onFailure: TaskCallback? = nil, _ build: (TaskGroupBuilder) -> Void
    ) {
        self.id = id; self.scheduleText = schedule; self.startDate = startDate; self.catchup = catchup
        self.maxActiveRuns = max(1, maxActiveRuns); self.maxActiveTasks = max(1, maxActiveTasks)
        self.defaults = defaults; self.tags = tags; self.description = description; self.params = params
        self.isPausedAtCreation = isPausedAtCreation; self.dagrunTimeout = dagrunTimeout; self.pools = pools
        self.onSuccess = onSuccess; self.onFailure = onFailure
        self.assetCondition = assets; self.failFast = failFast
        var problems: [GraphError] = []
        if !TaskGraph.isValidLocalId(id) { problems.append(.badId(id)) }
        do { self.schedule = try Schedule(schedule) } catch {
            self.schedule = .none; problems.append(.badSchedule("DAG '\(id)': \(error)"))
        }
        let storage = GraphStorage(defaults: defaults, factory: nil)
        build(TaskGroupBuilder(storage: storage, prefix: ""))
        self.graph = TaskGraph(nodes: storage.nodes, groups: storage.groups)
        self.problems = problems + graph.validate(externalIds: [])
    }

    /// Assets the DAG's tasks update, in task order.
    public var outlets: [Asset] {
        var seen: Set<String> = []
        return graph.nodes.flatMap(\.options.outlets).filter { seen.insert($0.uri).inserted }
    }

    /// The conf merged over the param defaults; throws on an unknown key or a wrong type.
    public func resolveParams(_ conf: [String: JSONValue]) throws(ConfError) -> [String: JSONValue] {
        try params.resolve(conf, dagId: id)
    }
}

extension Date {
    /// A UTC date from its parts: `.utc(2024, 1, 1)`.
    public static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }
}
