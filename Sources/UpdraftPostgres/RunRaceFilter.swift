import Logging

/// The pool's background logger, less one warning: PostgresNIO warns when a query leases a
/// connection before the task running `PostgresClient.run()` has begun. The store starts that task
/// in its initialiser, so the lease only waits a moment for it; the warning, printed by a CLI
/// command at random, would say nothing true.
struct RunRaceFilter: LogHandler {
    static let benign = "hasn't been called yet"
    var wrapped: any LogHandler

    /// `logger` with the filter in front of its handler.
    static func wrapping(_ logger: Logger) -> Logger {
        var filtered = logger
        filtered.handler = RunRaceFilter(wrapped: logger.handler)
        return filtered
    }

    func log(event: LogEvent) {
        if event.level == .warning, "\(event.message)".contains(Self.benign) { return }
        wrapped.log(event: event)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }
}
