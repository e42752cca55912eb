import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// Failed logins per client address: after `limit` failures within `window`, further attempts
/// from that address are refused (429) until the window has passed since the first of them.
public final class LoginThrottle: Sendable {
    public let limit: Int
    public let window: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])

    public init(limit: Int = 5, window: TimeInterval = 60) { self.limit = limit; self.window = window }

    /// Seconds until `address` may try again, or nil if it may now.
    public func retryAfter(_ address: String, now: Date) -> TimeInterval? {
        failures.withLock { table in
            let recent = (table[address] ?? []).filter { now.timeIntervalSince($0) < window }
            table[address] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let first = recent.first else { return nil }
            return window - now.timeIntervalSince(first)
        }
    }

    public func recordFailure(_ address: String, now: Date) {
        failures.withLock { table in
            table[address, default: []].append(now)
            // Bounded memory: forget addresses whose failures are all old.
            if table.count > 10_000 { table = table.filter { $0.value.contains { now.timeIntervalSince($0) < window } } }
        }
    }

    public func recordSuccess(_ address: String) { failures.withLock { $0[address] = nil } }
}
