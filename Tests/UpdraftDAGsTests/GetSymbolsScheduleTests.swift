import Foundation
import Logging
import ServiceLifecycle
import Testing
import UpdraftRuntime
import UpdraftStore
import UpdraftTesting

@testable import UpdraftDAGs

@Suite("get_symbols: one run per day")
struct GetSymbolsScheduleTests {
    /// `get_symbols` as declared (schedule, start date, catchup, run limit), with a no-op task in
    /// place of the network calls, so the real scheduler can run it on a manual clock.
    static func offlineGetSymbols() -> DAG {
        let real = GetSymbols.dag(schedule: "@daily")
        var dag = DAG("get_symbols") { d in d.task("record_symbols") { _ in } }
        dag.schedule = real.schedule
        dag.scheduleText = real.scheduleText
        dag.startDate = real.startDate
        dag.catchup = real.catchup
        dag.maxActiveRuns = real.maxActiveRuns
        return dag
    }

    /// Waits (on events, not on time) until the scheduler has caught up with the clock: no run
    /// is queued or running, and the scheduler sleeps on the manual clock. Every sleeper due at
    /// the last `advance` was woken by it, so a sleeper now was set after the scheduler saw that
    /// time; a scheduler that read the time before the advance wakes at once and looks again.
    static func settled(engine: Engine, clock: ManualClock) async throws {
        while try await !engine.store.runs(RunQuery(states: [.queued, .running])).isEmpty || clock.pendingWakeUps.isEmpty {
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    @Test func theSchedulerCreatesExactlyOneRunPerDayWithoutCatchup() async throws {
        #expect(GetSymbols.dag(schedule: "@daily").catchup == false)
        let clock = ManualClock(now: .utc(2026, 3, 10, 5, 30))
        let registry = try DAGRegistry([Self.offlineGetSymbols()])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-sched-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let engine = Engine(home: EngineHome(folder), store: MemoryStateStore(), registry: registry, clock: clock)
        try await engine.syncDAGs()
        var logger = Logger(label: "test.scheduler")
        logger.logLevel = .error
        let scheduler = SchedulerService(engine: engine, logger: logger) { InProcessExecutor(registry: registry, capacity: 2) }
        let group = ServiceGroup(configuration: .init(services: [scheduler], gracefulShutdownSignals: [], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // Three days, an hour at a time; each step waits until the scheduler has caught up.
            for _ in 0..<(3 * 24) {
                try await Self.settled(engine: engine, clock: clock)
                clock.advance(by: 3_600)
            }
            try await Self.settled(engine: engine, clock: clock)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let runs = try await engine.store.runs(RunQuery(dagId: "get_symbols")).sorted { $0.logicalDate < $1.logicalDate }
        // Started on March 10 at 05:30 without catchup: the interval of March 9 only (not one per day
        // since the start date in 2024), then one run as each midnight passes: March 10, 11 and 12.
        #expect(runs.map(\.logicalDate) == [.utc(2026, 3, 9), .utc(2026, 3, 10), .utc(2026, 3, 11), .utc(2026, 3, 12)])
        #expect(runs.allSatisfy { $0.runType == .scheduled && $0.state == .success })
        #expect(runs.map(\.dataInterval.end) == [.utc(2026, 3, 10), .utc(2026, 3, 11), .utc(2026, 3, 12), .utc(2026, 3, 13)])
    }
}
