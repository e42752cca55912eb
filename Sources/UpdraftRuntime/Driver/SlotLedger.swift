import CoreMetrics
import UpdraftCore
import UpdraftStore

/// Slots in use in this process: total parallelism, per pool, and per DAG (`maxActiveTasks`).
/// Drivers of several runs share one ledger; a release wakes the drivers waiting for slots.
/// Each change sets the pool's `updraft_pool_open_slots` and `updraft_pool_running_slots` gauges
/// (under the ledger's lock, with handles made once per pool).
/// The runtime sizes `parallelism` at the executor's `handOffDepth` (twice its capacity, eight
/// times a worker pool's), so that the next tries are already handed over while the previous
/// results are committed; tries beyond the free workers are recorded `queued`.
public final class SlotLedger: Sendable {
    struct Usage {
        var parallelism: Int
        var running = 0
        var poolSizes: [String: Int]
        var poolUsed: [String: Int] = [:]
        var dagUsed: [String: Int] = [:]
        var listeners: [Int: @Sendable () -> Void] = [:]
        var nextListener = 0
        let metrics: EngineMetrics
        var gauges: [String: (open: any MeterHandler, running: any MeterHandler)] = [:]

        /// Sets the gauges of `pool` to its size and use now.
        mutating func publish(_ pool: String) {
            guard metrics.isEnabled else { return }
            guard let handles = gauges[pool] ?? metrics.poolGauges(pool) else { return }
            gauges[pool] = handles
            let used = poolUsed[pool, default: 0]
            handles.running.set(Int64(used))
            handles.open.set(Int64(max(0, poolSizes[pool, default: 0] - used)))
        }
    }

    private let usage: Locked<Usage>

    /// A ledger allowing `parallelism` tries at once within the pools' slots; `metrics` gets the
    /// pools' gauges.
    public init(parallelism: Int, pools: [PoolRecord], metrics: EngineMetrics = EngineMetrics()) {
        var usage = Usage(
            parallelism: max(1, parallelism),
            poolSizes: Dictionary(pools.map { ($0.name, $0.slots) }, uniquingKeysWith: { $1 }), metrics: metrics)
        for pool in usage.poolSizes.keys { usage.publish(pool) }
        self.usage = Locked(usage)
    }

    /// Replaces the pool sizes (after `pools set`).
    public func update(pools: [PoolRecord]) {
        let listeners = usage.withLock { state in
            state.poolSizes = Dictionary(pools.map { ($0.name, $0.slots) }, uniquingKeysWith: { $1 })
            for pool in state.poolSizes.keys { state.publish(pool) }
            return Array(state.listeners.values)
        }
        for listener in listeners { listener() }
    }

    /// Takes the slots when all three limits allow it.
    func tryAcquire(pool: String, slots: Int, dagId: String, maxActiveTasks: Int) -> Bool {
        usage.withLock { state in
            guard state.running < state.parallelism,
                let size = state.poolSizes[pool], state.poolUsed[pool, default: 0] + slots <= size,
                state.dagUsed[dagId, default: 0] < maxActiveTasks
            else { return false }
            state.running += 1
            state.poolUsed[pool, default: 0] += slots
            state.dagUsed[dagId, default: 0] += 1
            state.publish(pool)
            return true
        }
    }

    /// Takes the slots whatever the limits (a try that is running already, resumed after a takeover).
    func acquire(pool: String, slots: Int, dagId: String) {
        usage.withLock { state in
            state.running += 1
            state.poolUsed[pool, default: 0] += slots
            state.dagUsed[dagId, default: 0] += 1
            state.publish(pool)
        }
    }

    func release(pool: String, slots: Int, dagId: String) {
        let listeners = usage.withLock { state in
            state.running -= 1
            state.poolUsed[pool, default: 0] -= slots
            state.dagUsed[dagId, default: 0] -= 1
            state.publish(pool)
            return Array(state.listeners.values)
        }
        for listener in listeners { listener() }
    }

    /// Slots of `pool` in use.
    public func used(pool: String) -> Int { usage.withLock { $0.poolUsed[pool, default: 0] } }

    func subscribe(_ listener: @escaping @Sendable () -> Void) -> Int {
        usage.withLock { state in
            state.nextListener += 1
            state.listeners[state.nextListener] = listener
            return state.nextListener
        }
    }

    func unsubscribe(_ id: Int) { usage.withLock { state in state.listeners[id] = nil } }
}
