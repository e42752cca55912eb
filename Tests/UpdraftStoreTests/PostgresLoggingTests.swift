import Foundation
import Logging
import Testing
import UpdraftStore

@testable import UpdraftPostgres

/// Every log line of the store and of PostgresNIO under it, at trace level, leaves the password out.
@Suite(.enabled(if: PostgresTestDatabase.adminURL != nil)) struct PostgresLoggingTests {
    /// Keeps every message and its metadata as text.
    struct CapturingHandler: LogHandler {
        let lines: Locked<[String]>
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            lines.withLock { $0.append("\(event.message) \(merged)") }
        }
    }

    @Test func logLinesNeverShowThePassword() async throws {
        let lines = Locked<[String]>([])
        let logger = Logger(label: "updraft.postgres.test") { _ in CapturingHandler(lines: lines) }
        var url = try await PostgresTestDatabase.create()
        url.password = "hunter2-secret"
        // The test server trusts its user: the password is sent nowhere, but it is in every configuration.
        let store = try await PostgresStateStore.connect(url: url, logger: logger, maximumConnections: 2)
        try await store.saveVariable(VariableRecord(key: "k", value: "v"))
        await store.close()
        url.sslMode = .require
        _ = try? await PostgresStateStore.connect(url: url, logger: logger)  // fails: only its log lines matter here
        let captured = lines.withLock { $0 }
        #expect(!captured.isEmpty)
        for line in captured { #expect(!line.contains("hunter2"), "\(line)") }
    }

    /// PostgresNIO's warning about a lease before `run()` began is dropped; any other line passes.
    @Test func theWarningAboutALeaseBeforeThePoolRunsIsDroppedAndNothingElse() {
        let lines = Locked<[String]>([])
        let logger = RunRaceFilter.wrapping(Logger(label: "updraft.postgres.test") { _ in CapturingHandler(lines: lines) })
        logger.warning(
            "Trying to lease connection from `PostgresClient`, but `PostgresClient.run()` hasn't been called yet.")
        logger.warning("connection refused")
        logger.debug("hasn't been called yet, at debug level")
        #expect(
            lines.withLock { $0 }.map { $0.components(separatedBy: " [").first ?? $0 }
                == ["connection refused", "hasn't been called yet, at debug level"])
    }
}
