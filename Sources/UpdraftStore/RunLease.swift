import Foundation
import UpdraftCore

/// The owner of a run: who, since when, its last heartbeat and the run's fencing token.
public struct RunLease: Sendable, Hashable {
    public var run: RunKey
    public var owner: ProcessIdentity
    public var acquiredAt: Date
    /// The owner's last renewal.
    public var heartbeatAt: Date
    /// Another process may take the run over after this, even when the owner looks alive.
    public var expiresAt: Date
    /// Grows by one each time the run changes hands; writes by the owner carry it.
    public var fencingToken: Int64

    public init(
        run: RunKey, owner: ProcessIdentity, acquiredAt: Date, heartbeatAt: Date? = nil, expiresAt: Date? = nil,
        fencingToken: Int64 = 0
    ) {
        self.run = run; self.owner = owner; self.acquiredAt = acquiredAt
        self.heartbeatAt = heartbeatAt ?? acquiredAt; self.expiresAt = expiresAt ?? .distantFuture
        self.fencingToken = fencingToken
    }

    /// What the holder passes to renew, release and fence its writes.
    public var token: LeaseToken { LeaseToken(run: run, owner: owner, fencingToken: fencingToken) }
}

/// Proof of holding a run's lease: renewals, the release and fenced commits check it.
public struct LeaseToken: Sendable, Hashable {
    public var run: RunKey
    public var owner: ProcessIdentity
    public var fencingToken: Int64
    public init(run: RunKey, owner: ProcessIdentity, fencingToken: Int64) {
        self.run = run; self.owner = owner; self.fencingToken = fencingToken
    }
}

/// The result of `acquireLease`.
public enum LeaseOutcome: Sendable, Equatable {
    /// Taken (or already held by `owner`); `previousOwner` is set when it was taken over from a
    /// dead process or one whose heartbeat expired.
    case acquired(LeaseToken, previousOwner: ProcessIdentity?)
    /// A live process with a fresh heartbeat owns the run.
    case heldBy(ProcessIdentity)

    /// The token when acquired.
    public var token: LeaseToken? {
        if case .acquired(let token, _) = self { return token }
        return nil
    }
}
