import Foundation

/// Sends the outbox's due messages. The scheduler runs one beside its scheduling passes, and
/// `dags trigger --wait` after a run it executed itself; UpdraftNotify's `OutboxSender` is the
/// implementation over the configured channels.
public protocol NotificationDelivery: Sendable {
    /// Sends (or gives up on, or postpones) every message due at `now`; throws when the store
    /// cannot be read or written (the caller logs it and tries again later).
    func deliverDue(now: Date) async throws
}
