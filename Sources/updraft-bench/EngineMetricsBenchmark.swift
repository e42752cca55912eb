import Foundation
import Prometheus
import UpdraftConfig
import UpdraftDAGs
import UpdraftRuntime

/// The 10,000-task fan-out with the engine's metrics off (the no-op factory) and on (a
/// swift-prometheus registry), alternating on one store and one worker pool, so that the cost of
/// recording (two counters per try, a series per task id) shows beside the run's own time.
enum EngineMetricsBenchmark {
    static func run() async throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("updraft").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("engine-metrics: build the updraft product first (swift build -c release --product updraft)")
            return
        }
        print("== engine metrics (release, \(ProcessInfo.processInfo.activeProcessorCount) cores)")
        let plain = try await Engine.open(home: EngineHome(BenchCLI.temporaryHome()), registry: try UpdraftDAGs.registry(.defaults()))
        var metered = plain
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[EngineMetrics.Name.dagRunDuration] = EngineMetrics.runDurationBuckets
        metered.metrics = EngineMetrics(factory: factory)
        let executor = try await WorkerPoolExecutor(
            size: 2, executable: binary, startup: try UpdraftConfiguration.defaults().encoded())
        var off: [Double] = []
        var on: [Double] = []
        for _ in 0..<3 {
            off.append(try await EngineBenchmark.timed(plain, executor, "bench_fanout", ["n": 10_000]).seconds)
            on.append(try await EngineBenchmark.timed(metered, executor, "bench_fanout", ["n": 10_000]).seconds)
        }
        await executor.shutdown()
        let scrape = ContinuousClock().measure { _ = registry.emitToBuffer() }
        print(
            String(
                format: "fan-out 10,000 tasks, metrics off: median %.2f s (%.0f tasks/s); on: median %.2f s (%.0f tasks/s)",
                EngineBenchmark.median(off), 10_000 / EngineBenchmark.median(off), EngineBenchmark.median(on),
                10_000 / EngineBenchmark.median(on)))
        print(
            "runs off: \(off.map { String(format: "%.2f", $0) }), on: \(on.map { String(format: "%.2f", $0) }); one scrape of \(registry.emitToBuffer().count) bytes: \(scrape)"
        )
    }
}
