import Foundation
import UpdraftConfig
import UpdraftDAGs
import UpdraftRuntime
import UpdraftStore

/// The engine figures of issue 2, measured end to end through the real SQLite store and
/// worker processes of the release `updraft` binary (built next to this one).
enum EngineBenchmark {
    static func run() async throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("updraft").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("engine: build the updraft product first (swift build -c release --product updraft)")
            return
        }
        print("== engine (release, \(ProcessInfo.processInfo.activeProcessorCount) cores, binary \(binary))")
        let cli = BenchCLI(binary: binary)

        // 1. Cold process: `dags trigger bench_fanout --wait` (200 tasks) to exit.
        var fresh: [Double] = []
        var warm: [Double] = []
        for _ in 0..<5 {
            let home = BenchCLI.temporaryHome()
            fresh.append(try cli.time(["dags", "trigger", "bench_fanout", "--wait"], home: home))
            warm.append(try cli.time(["dags", "trigger", "bench_fanout", "--wait"], home: home))
        }
        print(
            String(
                format: "fan-out 200 tasks, cold process to exit: median %.3f s (min %.3f) existing home; %.3f s (min %.3f) fresh home",
                median(warm), warm.min()!, median(fresh), fresh.min()!))

        // Chain from outside: (200-task chain − 1-task chain) / 199, each a cold `dags trigger --wait`.
        let chainHome = BenchCLI.temporaryHome()
        var hops: [Double] = []
        for _ in 0..<5 {
            let one = try cli.time(["dags", "trigger", "bench_chain", "--conf", #"{"n": 1}"#, "--wait"], home: chainHome)
            let long = try cli.time(["dags", "trigger", "bench_chain", "--conf", #"{"n": 200}"#, "--wait"], home: chainHome)
            hops.append((long - one) / 199)
        }
        print(
            String(
                format:
                    "chain from outside, (200-task chain − 1-task chain) / 199 through dags trigger --wait: median %.3f ms a hop (min %.3f)",
                median(hops) * 1000, hops.min()! * 1000))

        // 2–5 in this process: SQLite store (WAL, synchronous=NORMAL: every transition durable
        // across a process crash) and 2 worker processes of the updraft binary.
        let home = BenchCLI.temporaryHome()
        let engine = try await Engine.open(home: EngineHome(home), registry: try UpdraftDAGs.registry(.defaults()))
        // The updraft binary's workers get their configuration in the start-up frame: the defaults.
        let executor = try await WorkerPoolExecutor(
            size: 2, executable: binary,
            startup: try UpdraftConfiguration.defaults().encoded())
        // Three runs into the same home: the first also grows a new database file.
        var wides: [Timed] = []
        for _ in 0..<3 { wides.append(try await timed(engine, executor, "bench_fanout", ["n": 10_000])) }
        let wide = wides.sorted { $0.seconds < $1.seconds }[1]
        print(
            String(
                format: "fan-out 10,000 tasks: median of 3 %.2f s, %.0f tasks/s (first run %.2f s; %@)", wide.seconds,
                10_000 / wide.seconds, wides[0].seconds, wides.map(\.state.rawValue).joined(separator: ", ")))
        let chain = try await timed(engine, executor, "bench_chain", ["n": 50])
        print(
            String(
                format: "chain of 50: %.3f s from trigger to end, per hop %.2f ms (each hop: commit, dispatch, worker round trip)",
                chain.seconds, chain.seconds * 1000 / 50))
        let retry = try await timed(engine, executor, "bench_retry", [:])
        print(String(format: "retry DAG (fails twice, 1 s constant delay): %.3f s (%@)", retry.seconds, retry.state.rawValue))
        let start = Date()
        let backfill = try await engine.createBackfill(
            dagId: "bench_daily", from: .utc(2024, 1, 1), to: .utc(2024, 1, 20), maxActiveRuns: 4)
        _ = try await engine.runBackfill(id: backfill.id, executor: executor)
        let progress = try await engine.backfillProgress(id: backfill.id)
        print(
            String(
                format: "backfill 20 runs × 10 tasks: %.3f s (%d success)", Date().timeIntervalSince(start),
                progress.succeeded))
        await executor.shutdown()
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(
            String(
                format: "peak RSS of the benchmark process (engine + store, 10,000-task run): %.1f MB",
                Double(usage.ru_maxrss) / 1024))

        // 6–8: CLI reads against that store.
        let show = try (0..<5).map { _ in try cli.time(["runs", "show", wide.runId], home: home) }
        let showJSON = try (0..<5).map { _ in try cli.time(["runs", "show", wide.runId, "--json"], home: home) }
        print(String(format: "runs show of the 10,000-task run: median %.3f s (--json %.3f s)", median(show), median(showJSON)))
        let list = try (0..<10).map { _ in try cli.time(["runs", "list"], home: home) }
        print(String(format: "read-only CLI call (runs list): median %.3f s, min %.3f s", median(list), list.min()!))
        // 100,000 tasks through the CLI: the owner's peak RSS, then `runs show` of the run (groups collapsed).
        let hugeHome = BenchCLI.temporaryHome()
        let huge = try cli.timeWithPeakRSS(
            ["dags", "trigger", "bench_fanout", "--conf", #"{"n": 100000}"#, "--wait"], home: hugeHome)
        let hugeRun = try cli.output(["runs", "list", "--dag", "bench_fanout", "--json"], home: hugeHome)
        let hugeRunId = (try? JSONSerialization.jsonObject(with: Data(hugeRun.utf8)) as? [[String: Any]])?.first?["run_id"] as? String ?? ""
        let hugeShow = try (0..<5).map { _ in try cli.time(["runs", "show", hugeRunId], home: hugeHome) }
        print(
            String(
                format:
                    "fan-out 100,000 tasks through the CLI: %.1f s, %.0f tasks/s, owner peak RSS %.0f MB; runs show of it: median %.3f s",
                huge.seconds, 100_000 / huge.seconds, huge.peakRSS, median(hugeShow)))
        let idle = try cli.idleScheduler(home: BenchCLI.temporaryHome())
        print(
            String(
                format:
                    "idle scheduler (parallelism 2, its idle workers exited after worker_idle_timeout): %d worker(s) left, %.1f MB PSS, %.1f MB RSS, CPU %.3f s over %.0f s idle",
                idle.workers, idle.pss, idle.rss, idle.cpu, idle.seconds))
    }

    struct Timed { var runId: String; var seconds: Double; var state: RunState }

    static func timed(
        _ engine: Engine, _ executor: any TaskExecutor, _ dagId: String,
        _ conf: [String: JSONValue]
    ) async throws -> Timed {
        let start = Date()
        let run = try await engine.trigger(dagId: dagId, conf: conf)
        let state = try await engine.execute(run.key, executor: executor) ?? .failed
        return Timed(runId: run.runId, seconds: Date().timeIntervalSince(start), state: state)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
    }
}
