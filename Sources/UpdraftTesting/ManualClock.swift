import Foundation
import UpdraftRuntime
import UpdraftStore

/// A clock that moves only when told; sleepers wake when `advance` passes their date.
///
/// ```swift
/// let clock = ManualClock(now: .utc(2024, 1, 1))
/// clock.advance(by: 5)   // wakes everything sleeping until ≤ now
/// ```
public final class ManualClock: EngineClock {
    struct Sleeper { var until: Date; var continuation: CheckedContinuation<Void, any Error> }
    private let state: Locked<(now: Date, sleepers: [Int: Sleeper], next: Int)>

    public init(now: Date = .utc(2024, 1, 1)) { state = Locked((now, [:], 0)) }

    public var now: Date { state.withLock { $0.now } }

    /// Dates sleepers are waiting for, earliest first.
    public var pendingWakeUps: [Date] { state.withLock { $0.sleepers.values.map(\.until).sorted() } }

    public func sleep(until date: Date) async throws {
        let id = state.withLock { s in
            s.next += 1; return s.next
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { s -> Bool in
                    if date <= s.now || Task.isCancelled { return true }
                    s.sleepers[id] = Sleeper(until: date, continuation: continuation)
                    return false
                }
                if resumeNow {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes the sleepers that are due.
    public func advance(by seconds: TimeInterval) {
        let due = state.withLock { s -> [Sleeper] in
            s.now = s.now.addingTimeInterval(seconds)
            let ready = s.sleepers.filter { $0.value.until <= s.now }
            for key in ready.keys { s.sleepers[key] = nil }
            return Array(ready.values)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
