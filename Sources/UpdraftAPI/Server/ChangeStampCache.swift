import Foundation
import Synchronization
import UpdraftStore

/// The store's change stamp, read at most once per `interval` however many live pages ask: every
/// open grid's event stream shares one reading, so a hundred open tabs cost the store what one does.
public final class ChangeStampCache: Sendable {
    public let interval: Duration
    private let latest = Mutex<(stamp: Int64, at: ContinuousClock.Instant)?>(nil)

    public init(interval: Duration = .milliseconds(500)) { self.interval = interval }

    /// The stamp read within the last `interval`, else a new reading of `store`.
    public func current(_ store: any StateStore) async throws -> Int64 {
        let now = ContinuousClock.now
        if let cached = latest.withLock({ $0 }), now - cached.at < interval { return cached.stamp }
        let stamp = try await store.changeStamp()
        latest.withLock { $0 = (stamp, now) }
        return stamp
    }
}
