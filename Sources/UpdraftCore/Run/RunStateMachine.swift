import Foundation

/// The state of one run as a pure value: events in, actions out, time passed in.
///
/// When a task finishes only its downstream edges are evaluated (incremental upstream counts),
/// so the cost of an event does not grow with the size of the run.
///
/// ```swift
/// var machine = RunStateMachine(dagId: "etl", runId: "r1", graph: dag.graph, instances: [])
/// var actions = machine.handle(.start, now: now)            // writes + .schedule("extract")
/// actions = machine.handle(.slotGranted("extract"), now: now) // .startTry("extract", tryNumber: 1)
/// ```
///
/// A try handed to an executor that queues it (`.slotGranted(id, queued: true)`) is `queued`
/// until `.tryStarted` says a worker took it; its end may come first (a cancel), from either state.
public struct RunStateMachine: Sendable {
    struct Node: Sendable {
        var upstream: [String]
        var downstream: [String] = []
        var rule: TriggerRule
        var retry: RetryPolicy
        var isFactory: Bool
        var isBranch: Bool
        /// The factory whose expansion created this node.
        var parent: String?
        var isLeaf: Bool { downstream.isEmpty && parent == nil }
    }

    struct ChildProgress: Sendable {
        var total = 0
        var done = UpstreamCounts(total: 0)
    }

    public let dagId: String
    public let runId: String
    public internal(set) var runState: RunState = .queued
    public internal(set) var instances: [String: TaskInstance] = [:]
    /// Task ids in graph order (static nodes, then expansions in the order they happened).
    public internal(set) var order: [String] = []
    /// Fail the run as soon as a task fails for good (the DAG's `failFast`).
    public var failFast = false
    /// Tasks whose running try lives on in a queue outside the dead owner (a remote worker
    /// runs it, or its result waits): at `.start` they are resumed (`.resumeTry`), not interrupted.
    public var adoptable: Set<String> = []
    var nodes: [String: Node] = [:]
    var counts: [String: UpstreamCounts] = [:]
    var children: [String: ChildProgress] = [:]
    var branchSkips: [String: Set<String>] = [:]
    var unfinished = 0
    var pendingCreation: [String] = []
    var orphans: [String] = []

    /// A machine for `graph` (static nodes plus any factory expansions already made), resuming
    /// from the stored `instances` (empty for a new run).
    public init(dagId: String, runId: String, graph: TaskGraph, instances: [TaskInstance]) {
        self.dagId = dagId
        self.runId = runId
        var stored = Dictionary(instances.map { ($0.taskId, $0) }, uniquingKeysWith: { $1 })
        for node in graph.nodes {
            if let existing = stored.removeValue(forKey: node.id) {
                self.instances[node.id] = existing
            } else {
                self.instances[node.id] = TaskInstance(runId: runId, dagId: dagId, node: node)
                pendingCreation.append(node.id)
            }
        }
        orphans = stored.values.filter { !$0.state.isTerminal }.map(\.taskId).sorted()
        for (id, instance) in stored { self.instances[id] = instance }
        add(graph.nodes)
        unfinished = order.reduce(0) { $0 + (self.instances[$1]!.state.isTerminal ? 0 : 1) }
    }

    /// Adds nodes (static or expanded) and their edges, counting already finished upstreams.
    mutating func add(_ newNodes: [TaskNode]) {
        // Dictionaries only (they grow by doubling; an array reserved to its exact size would be
        // copied whole at each of many small expansions).
        nodes.reserveCapacity(nodes.count + newNodes.count)
        counts.reserveCapacity(counts.count + newNodes.count)
        for node in newNodes where nodes[node.id] == nil {
            var isBranch = false
            if case .branch = node.kind { isBranch = true }
            nodes[node.id] = Node(
                upstream: node.upstream, rule: node.options.triggerRule,
                retry: node.options.retry, isFactory: node.isFactory,
                isBranch: isBranch, parent: node.factory)
            order.append(node.id)
            if let parent = node.factory { children[parent, default: ChildProgress()].total += 1 }
        }
        for node in newNodes {
            for up in node.upstream where nodes[up] != nil && !nodes[up]!.downstream.contains(node.id) {
                nodes[up]!.downstream.append(node.id)
            }
            var tally = UpstreamCounts(total: node.upstream.count)
            for up in node.upstream { if let state = instances[up]?.state { tally.add(state) } }
            counts[node.id] = tally
            if let parent = node.factory, let state = instances[node.id]?.state, state.isTerminal {
                children[parent]!.done.add(state)
            }
        }
    }

    /// The machine's current view of one task.
    public func instance(_ taskId: String) -> TaskInstance? { instances[taskId] }

    /// Upstream counts of one task (for `tasks why`).
    public func upstreamCounts(_ taskId: String) -> UpstreamCounts? { counts[taskId] }

    /// Applies `event` at time `now` and returns what the runtime must do, writes first.
    public mutating func handle(_ event: RunEvent, now: Date) -> [RunAction] {
        var actions: [RunAction] = []
        if runState.isTerminal { return actions }
        switch event {
        case .start: start(now: now, &actions)
        case .slotGranted(let id, let queued): grantSlot(id, queued: queued, now: now, &actions)
        case .tryStarted(let id, let tryNumber):
            guard var instance = instances[id], instance.state.isActive, instance.tryNumber == tryNumber else { break }
            instance.state = .running
            instance.startDate = now
            instances[id] = instance
            actions.append(.write(instance))
        case .tryFinished(let id, let outcome): finishTry(id, outcome, now: now, &actions)
        case .retryDue(let id):
            guard var instance = instances[id], instance.state == .upForRetry else { break }
            instance.state = .scheduled
            instance.nextRetryAt = nil
            instances[id] = instance
            actions += [.write(instance), .schedule(id)]
        case .factoryExpanded(let id, let expansion): expanded(id, expansion, now: now, &actions)
        case .factoryFailed(let id, let message):
            guard instances[id]?.state == .running else { break }
            instances[id]!.error = message
            var work: [String] = []
            settle(id, .failed, now: now, &actions, &work)
            propagate(&work, now: now, &actions)
            if failFast { stopAll(now: now, runningAs: .failed, reason: "failed fast: '\(id)' failed", &actions) }
        case .timedOut, .cancelled: stopAll(now: now, &actions)
        }
        finishIfDone(&actions)
        return actions
    }
}
