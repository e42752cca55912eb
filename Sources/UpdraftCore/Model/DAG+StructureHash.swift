extension DAG {
    /// A stable hash of what makes the DAG what it is; a new DAG version is recorded when it changes.
    ///
    /// It covers the schedule as written (not its next dates), catchup and run limits, the asset
    /// condition, params with their kinds and defaults, groups, and each task's id, kind, group,
    /// factory, upstream ids and the options that change how it runs (retry policy, timeout,
    /// trigger rule, pool, slots, priority, queue, outlets). Task bodies are code and are not
    /// covered, nor descriptions, tags or callbacks.
    ///
    /// The hash is FNV-1a 64 over `structureText`, as 16 hex digits: stable across processes and
    /// releases (Swift's `Hasher` is seeded per process), and enough to tell versions of one DAG apart.
    ///
    /// ```swift
    /// let hash = dag.structureHash   // "a3f2…", the same for the same structure
    /// ```
    public var structureHash: String { Self.fnv1a64Hex(structureText) }

    /// The canonical text `structureHash` hashes: one line per fact, in a fixed order.
    public var structureText: String {
        var lines = [
            "dag \(id)", "schedule \(scheduleText ?? "-")", "catchup \(catchup)",
            "max_active_runs \(maxActiveRuns)", "max_active_tasks \(maxActiveTasks)",
            "assets \(assetCondition.map { "\($0.structure)" } ?? "-")", "fail_fast \(failFast)",
            "dagrun_timeout \(dagrunTimeout.map { "\($0.components.seconds).\($0.components.attoseconds)" } ?? "-")",
        ]
        for param in params.sorted(by: { $0.name < $1.name }) {
            lines.append("param \(param.name) \(param.kind.rawValue) \(Self.canonical(param.defaultValue))")
        }
        for group in graph.groups { lines.append("group \(group)") }
        for node in graph.nodes {
            let options = node.options
            let retry = options.retry
            lines.append(
                [
                    "task \(node.id)", "kind \(node.kind.name)", "group \(node.group ?? "-")",
                    "factory \(node.factory ?? "-")", "upstream \(node.upstream.sorted().joined(separator: ","))",
                    "retries \(retry.retries)", "delay \(retry.initialDelay.seconds)",
                    "backoff \(retry.backoffCoefficient)", "max_delay \(retry.maximumDelay.map { "\($0.seconds)" } ?? "-")",
                    "jitter \(retry.jitter)", "non_retryable \(retry.nonRetryableErrors.sorted().joined(separator: ","))",
                    "timeout \(options.executionTimeout.map { "\($0.seconds)" } ?? "-")",
                    "trigger_rule \(options.triggerRule.rawValue)", "pool \(options.pool)",
                    "pool_slots \(options.poolSlots)", "priority \(options.priority)", "queue \(options.queue)",
                    "outlets \(options.outlets.map(\.uri).joined(separator: ","))",
                ].joined(separator: " | "))
        }
        return lines.joined(separator: "\n")
    }

    /// JSON with sorted keys, so that equal values give equal text.
    static func canonical(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): "\(number)"
        case .string(let text): "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .array(let items): "[" + items.map(canonical).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.keys.sorted().map { "\"\($0)\":" + canonical(members[$0]!) }.joined(separator: ",") + "}"
        }
    }

    /// FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3) of the UTF-8 bytes, as 16 hex digits.
    public static func fnv1a64Hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension AssetCondition {
    /// The condition's shape with asset URIs: `all(any(a,b),c)`.
    var structure: String {
        switch self {
        case .asset(let asset): asset.uri
        case .any(let parts): "any(" + parts.map(\.structure).joined(separator: ",") + ")"
        case .all(let parts): "all(" + parts.map(\.structure).joined(separator: ",") + ")"
        }
    }
}
