import Foundation
import UpdraftWorkers

/// Measures no-op job round trips through a real pool: throughput with many jobs in flight,
/// and the latency of one job at a time.
struct PoolBenchmark {
    let jobs: Int
    let workers: Int

    func run() async throws {
        let pool = WorkerPool(WorkerPoolConfiguration(size: workers))
        try await pool.start()
        let inFlight = workers * 32
        for round in ["warm-up", "measured"] {
            let count = round == "warm-up" ? min(jobs, 10_000) : jobs
            let clock = ContinuousClock()
            let elapsed = try await clock.measure {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for lane in 0..<inFlight {
                        group.addTask {
                            for _ in stride(from: lane, to: count, by: inFlight) {
                                guard case .replied = await pool.run(WorkerJob(payload: [])) else {
                                    throw CancellationError()
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if round == "measured" {
                print(
                    String(
                        format: "%d no-op jobs on %d workers (%d in flight): %.3f s, %.0f jobs/s",
                        count, workers, inFlight, seconds, Double(count) / seconds))
            }
        }
        let sequential = min(jobs, 20_000)
        let clock = ContinuousClock()
        let elapsed = await clock.measure {
            for _ in 0..<sequential { _ = await pool.run(WorkerJob(payload: [])) }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            String(
                format: "%d sequential no-op jobs (1 in flight): %.1f µs per round trip",
                sequential, seconds / Double(sequential) * 1e6))
        await pool.shutdown()
    }
}
