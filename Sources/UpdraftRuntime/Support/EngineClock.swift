import Foundation

/// Where the runtime gets the time and sleeps; tests pass a manual clock.
public protocol EngineClock: Sendable {
    var now: Date { get }
    /// Returns at `date` (or throws `CancellationError` when cancelled).
    func sleep(until date: Date) async throws
}

/// The wall clock.
public struct SystemClock: EngineClock {
    public init() {}
    public var now: Date { Date() }
    public func sleep(until date: Date) async throws {
        let interval = date.timeIntervalSinceNow
        if interval > 0 { try await Task.sleep(for: .milliseconds(Int64(interval * 1000) + 1)) } else { try Task.checkCancellation() }
    }
}
