import Foundation
import MarketData

/// A request budget of one of the sandbox's exchanges: `capacity` weight per `windowSeconds`, in
/// windows aligned to multiples of the window since the epoch (as ``RateLimit`` counts them).
public struct SandboxExchangeBudget: Sendable, Hashable {
    /// Weight allowed per window.
    public var capacity: Int
    /// The window, in seconds.
    public var windowSeconds: Int

    /// A budget of `capacity` per `windowSeconds`.
    public init(capacity: Int, windowSeconds: Int) {
        self.capacity = max(1, capacity)
        self.windowSeconds = max(1, windowSeconds)
    }

    /// The documented budgets the clients keep to (docs/exchanges.md).
    public static let documented: [ExchangeID: SandboxExchangeBudget] = [
        .kraken: SandboxExchangeBudget(capacity: 1, windowSeconds: 1),
        .kucoin: SandboxExchangeBudget(capacity: 2_000, windowSeconds: 30),
        .poloniex: SandboxExchangeBudget(capacity: 10, windowSeconds: 1),
    ]
}

/// Counts weight per exchange and window; over the budget a request is refused until the window ends.
final class SandboxExchangeMeter: Sendable {
    enum Verdict: Equatable {
        case allowed(remaining: Int, resetMilliseconds: Int64)
        case limited(resetMilliseconds: Int64)
    }

    private let state = Locked<[ExchangeID: (window: Int64, used: Int)]>([:])

    func charge(_ weight: Int, on exchange: ExchangeID, budget: SandboxExchangeBudget, at now: Date) -> Verdict {
        let windowMilliseconds = Int64(budget.windowSeconds) * 1_000
        let nowMilliseconds = Int64((now.timeIntervalSince1970 * 1_000).rounded(.down))
        let window = nowMilliseconds / windowMilliseconds
        let reset = (window + 1) * windowMilliseconds - nowMilliseconds
        return state.withLock { table in
            var entry = table[exchange] ?? (window, 0)
            if entry.window != window { entry = (window, 0) }
            guard entry.used + weight <= budget.capacity else {
                table[exchange] = entry
                return .limited(resetMilliseconds: reset)
            }
            entry.used += weight
            table[exchange] = entry
            return .allowed(remaining: budget.capacity - entry.used, resetMilliseconds: reset)
        }
    }
}
