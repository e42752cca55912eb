import UpdraftStore

/// Events for a driver, drained in batches so that their writes share one commit.
final class EventInbox<Event: Sendable>: Sendable {
    private let pending = Locked<[Event]>([])
    private let wakeUps: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (wakeUps, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func post(_ event: Event) {
        pending.withLock { $0.append(event) }
        continuation.yield()
    }

    /// Wakes the consumer without an event (e.g. slots were freed elsewhere).
    func nudge() { continuation.yield() }

    /// Waits for at least one wake-up, then returns everything posted so far (maybe nothing).
    func next() async -> [Event] {
        let drained = pending.withLock { events in
            defer { events = [] }; return events
        }
        if !drained.isEmpty { return drained }
        var iterator = wakeUps.makeAsyncIterator()
        _ = await iterator.next()
        return pending.withLock { events in
            defer { events = [] }; return events
        }
    }

    func finish() { continuation.finish() }
}
