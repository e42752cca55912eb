import UpdraftStore

/// Tells running drivers to stop (graceful shutdown) or to re-read their run (external change).
public final class ShutdownSignal: Sendable {
    public enum Kind: Sendable { case graceful, externalChange }
    private let listeners = Locked<(next: Int, all: [Int: @Sendable (Kind) -> Void], fired: Bool)>((0, [:], false))

    public init() {}

    func register(_ listener: @escaping @Sendable (Kind) -> Void) -> Int {
        let (id, fired) = listeners.withLock { state in
            state.next += 1
            state.all[state.next] = listener
            return (state.next, state.fired)
        }
        if fired { listener(.graceful) }
        return id
    }

    func unregister(_ id: Int) { listeners.withLock { _ = $0.all.removeValue(forKey: id) } }

    /// Stops every registered driver: running tries are handed back as interrupted.
    public func fire() {
        let all = listeners.withLock { state in
            state.fired = true; return Array(state.all.values)
        }
        for listener in all { listener(.graceful) }
    }

    /// Whether `fire()` was called.
    public var isFired: Bool { listeners.withLock { $0.fired } }

    /// Asks every driver to re-read its run (a user cancelled or marked it).
    public func notifyExternalChange() {
        for listener in listeners.withLock({ Array($0.all.values) }) { listener(.externalChange) }
    }
}
