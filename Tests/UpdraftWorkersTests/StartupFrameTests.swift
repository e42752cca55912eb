import Foundation
import Testing

@testable import UpdraftWorkers

/// The start-up frame: every worker of a pool, replacements included, gets it before its first
/// job (the engine sends the configuration this way).
@Suite struct StartupFrameTests {
    static func pool(size: Int, startup: String) -> WorkerPool {
        WorkerPool(
            WorkerPoolConfiguration(
                size: size, executable: WorkerFixture.path, arguments: ["__startup_worker"],
                startup: Array(startup.utf8)))
    }

    @Test func everyWorkerAndEveryReplacementGetsTheFrameBeforeItsFirstJob() async throws {
        let pool = Self.pool(size: 2, startup: "config-A")
        try await pool.start()
        for index in 0..<4 {
            let outcome = await pool.run(WorkerJob(payload: Array("job\(index)".utf8)))
            guard case .replied(let bytes) = outcome else { Issue.record("job \(index): \(outcome)"); continue }
            #expect(String(decoding: bytes, as: UTF8.self) == "config-A:job\(index)")
        }
        let crash = await pool.run(WorkerJob(payload: Array("exit".utf8)))
        guard case .crashed = crash else { Issue.record("expected a crash, got \(crash)"); return }
        let afterReplacement = await pool.run(WorkerJob(payload: Array("again".utf8)))
        guard case .replied(let bytes) = afterReplacement else { Issue.record("\(afterReplacement)"); return }
        #expect(String(decoding: bytes, as: UTF8.self) == "config-A:again")
        await pool.shutdown()
    }
}
