import Foundation
import Logging
import ServiceLifecycle
import Testing
import UpdraftStore
import UpdraftTesting

@testable import UpdraftRuntime

/// Issue 8.2: a store error during a run does not leave it `running` for good.
@Suite struct SchedulerStoreFailureTests {
    /// Polls (in real time) until `condition` holds; false after `seconds`.
    func eventually(seconds: Double = 300, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await condition()
    }

    /// An engine over `store` with `dag`, in a temporary home (returned, for removal).
    static func engine(_ dag: DAG, store: BrokenStore, clock: ManualClock) async throws -> (Engine, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-broken-\(UUID().uuidString)").path
        let engine = Engine(home: EngineHome(folder), store: store, registry: try DAGRegistry([dag]), clock: clock)
        try await engine.syncDAGs()
        return (engine, folder)
    }

    /// A scheduler over `engine` running tries in process, in a service group of its own.
    static func schedulerGroup(_ engine: Engine, store: BrokenStore, logger: Logger) -> ServiceGroup {
        let scheduler = SchedulerService(engine: engine, logger: logger) {
            InProcessExecutor(registry: engine.registry, store: store)
        }
        return ServiceGroup(configuration: .init(services: [scheduler], gracefulShutdownSignals: [], logger: logger))
    }

    @Test func aRunThatHitAStoreErrorIsTriedAgainAfterABackoff() async throws {
        let clock = ManualClock(now: .utc(2024, 1, 5))
        let store = BrokenStore()
        let (engine, folder) = try await Self.engine(DAG("d") { d in d.task("t") { _ in } }, store: store, clock: clock)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try await engine.trigger(dagId: "d")
        store.broken = true  // the run's first commit fails, and so does the release of its lease
        var logger = Logger(label: "test.scheduler")
        logger.logLevel = .critical
        let group = Self.schedulerGroup(engine, store: store, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let retryAt = clock.now.addingTimeInterval(1)
            // The scheduler failed the execution, kept the lease (its release failed too) and
            // now sleeps until the first retry, one second later.
            #expect(try await eventually { store.failures >= 2 && clock.pendingWakeUps.contains(retryAt) })
            #expect(try await store.leases().map(\.owner) == [.current])
            #expect(try await store.run(run.key)?.state == .queued)
            store.broken = false  // the disk has room again
            clock.advance(by: 1)
            #expect(try await eventually { try await store.run(run.key)?.state == .success })
            #expect(try await eventually { try await store.leases().isEmpty })
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try await store.taskInstance(run: run.key, taskId: "t")?.state == .success)
    }

    /// A scheduling pass that fails on the store is logged and tried again after a back-off; the
    /// due run is created once the store answers again.
    @Test func aFailedSchedulingPassIsTriedAgainAfterABackoff() async throws {
        let dag = DAG("daily", schedule: "@daily", startDate: .utc(2024, 1, 1)) { d in d.task("t") { _ in } }
        let clock = ManualClock(now: .utc(2024, 1, 5, 0, 30))
        let store = BrokenStore()
        let (engine, folder) = try await Self.engine(dag, store: store, clock: clock)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        store.brokenListing = true
        let messages = LogCollector()
        let logger = Logger(label: "test.scheduler") { _ in messages }
        let group = Self.schedulerGroup(engine, store: store, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let retryAt = clock.now.addingTimeInterval(1)
            #expect(try await eventually { store.failures >= 1 && clock.pendingWakeUps.contains(retryAt) })
            #expect(try await store.runs(RunQuery(dagId: "daily")).isEmpty)
            #expect(messages.lines.contains { $0.contains("scheduling pass failed; trying again in 1s") && $0.contains("disk is full") })
            store.brokenListing = false
            clock.advance(by: 1)
            #expect(try await eventually { try await store.runs(RunQuery(dagId: "daily")).first?.state == .success })
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// Keeps every log line (message and metadata) a logger writes.
final class LogCollector: LogHandler, @unchecked Sendable {
    private let store = Locked([String]())
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    var lines: [String] { store.withLock { $0 } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        store.withLock { $0.append("\(event.message) \(fields)") }
    }
}
