import Foundation

/// The sandbox Binance's request-weight accounting, per wall-clock minute as Binance counts it:
/// over the limit a request gets 429; after too many 429s in one minute the caller is banned (418).
final class BinanceWeightMeter: Sendable {
    /// What to do with a request.
    enum Verdict: Equatable {
        case allowed(used: Int)
        case limited(used: Int, retryAfter: Int)
        case banned(until: Date, retryAfter: Int)
    }

    private struct State {
        var minute: Int64 = 0
        var used = 0
        var violations = 0
        var bannedUntil: Date = .distantPast
    }

    private let limit: Int
    private let banAfter: Int
    private let banDuration: Duration
    private let state = Locked(State())

    init(limit: Int, banAfter: Int, banDuration: Duration) {
        self.limit = limit
        self.banAfter = banAfter
        self.banDuration = banDuration
    }

    /// Charges `weight` to the current minute, or refuses.
    func charge(_ weight: Int, at now: Date) -> Verdict {
        state.withLock { state in
            if now < state.bannedUntil {
                return .banned(until: state.bannedUntil, retryAfter: Int(state.bannedUntil.timeIntervalSince(now).rounded(.up)))
            }
            let minute = Int64((now.timeIntervalSince1970 / 60).rounded(.down))
            if minute != state.minute {
                state.minute = minute
                state.used = 0
                state.violations = 0
            }
            let retryAfter = max(1, Int((Double(minute + 1) * 60 - now.timeIntervalSince1970).rounded(.up)))
            if state.used + weight > limit {
                state.violations += 1
                if state.violations > banAfter {
                    let seconds = Double(banDuration.components.seconds)
                    state.bannedUntil = now.addingTimeInterval(seconds)
                    return .banned(until: state.bannedUntil, retryAfter: Int(seconds))
                }
                return .limited(used: state.used, retryAfter: retryAfter)
            }
            state.used += weight
            return .allowed(used: state.used)
        }
    }

    /// Weight used in the current minute.
    var used: Int { state.withLock { $0.used } }
}
