import Foundation

/// Where the HTTP client reads the time and how it waits: real by default, virtual in tests so
/// that backoff, `Retry-After` and rate-limit waits take no real time.
public struct HTTPTiming: Sendable {
    /// The current wall-clock time.
    public var now: @Sendable () -> Date
    /// Waits for the given duration (throws when the task is cancelled).
    public var sleep: @Sendable (Duration) async throws -> Void

    /// A timing from explicit closures.
    public init(now: @escaping @Sendable () -> Date, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// The system clock and `Task.sleep`.
    public static let live = HTTPTiming(now: { Date() }, sleep: { try await Task.sleep(for: $0) })
}

/// A clock that moves only when someone sleeps on it, recording every wait.
///
/// ```swift
/// let clock = VirtualClock()
/// let client = HTTPClient(configuration: .init(timing: clock.timing))
/// // … after a 429 with Retry-After: 3 …
/// clock.sleeps  // [.seconds(3)]
/// ```
public final class VirtualClock: Sendable {
    private let state: Locked<(now: Date, sleeps: [Duration])>

    /// A virtual clock starting at `start` (the real time by default).
    public init(start: Date = Date()) {
        state = Locked((start, []))
    }

    /// The virtual current time.
    public var now: Date { state.withLock { $0.now } }

    /// Every duration slept so far, in order.
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }

    /// Moves the clock forward without recording a sleep.
    public func advance(by duration: Duration) {
        state.withLock { $0.now = $0.now.addingTimeInterval(duration.timeInterval) }
    }

    /// A timing whose `sleep` advances this clock and returns at once.
    public var timing: HTTPTiming {
        HTTPTiming(
            now: { [self] in now },
            sleep: { [self] duration in
                try Task.checkCancellation()
                state.withLock {
                    $0.sleeps.append(duration)
                    $0.now = $0.now.addingTimeInterval(duration.timeInterval)
                }
                await Task.yield()
            })
    }
}

extension Duration {
    /// The duration in seconds as a `TimeInterval`.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// A duration from a `TimeInterval`, clamped at zero.
    static func interval(_ seconds: TimeInterval) -> Duration {
        .milliseconds(Int64((max(0, seconds) * 1000).rounded(.up)))
    }
}
