import Foundation
import UpdraftPostgres
import UpdraftRuntime
import UpdraftStore

/// The PostgreSQL figures (issue 12), from outside: a release `updraft scheduler --queues ''` and two
/// `updraft worker` processes over a fresh database of the local cluster whose URL is in
/// `UPDRAFT_BENCH_POSTGRES_URL` (`make bench` starts a throw-away one). Every transition is a
/// committed PostgreSQL transaction (synchronous_commit on, as installed). The runs are timed after
/// a 10-task warm-up run.
enum PostgresBenchmark {
    static func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let admin = environment["UPDRAFT_BENCH_POSTGRES_URL"] ?? environment["UPDRAFT_TEST_POSTGRES_URL"] else {
            print("== postgres: skipped (set UPDRAFT_BENCH_POSTGRES_URL, or run `make bench`, which starts a cluster)")
            return
        }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("updraft").path
        let database = "bench_\(UInt32.random(in: 0...UInt32.max))"
        try psql(admin, "CREATE DATABASE \(database)")
        let url = admin.replacingOccurrences(of: "/postgres", with: "/\(database)")
        let home = BenchCLI.temporaryHome()
        let workerSlots = 4
        print("== postgres (release, \(ProcessInfo.processInfo.activeProcessorCount) cores, 1 scheduler + 2 workers)")
        let env = BenchCLI.closedEndpoints.merging(
            ["UPDRAFT_HOME": home, "UPDRAFT_STATE_URL": url, "UPDRAFT_PARALLELISM": "2"]) { $1 }
        let cli = Spawner(binary: binary, environment: env)
        try cli.wait(["db", "migrate"])
        for dag in BenchCLI.scheduledDAGs {
            try? cli.wait(["dags", "pause", dag])
        }
        // A worker alone on a database nothing else uses (autovacuum after the big runs would count too).
        let idleDatabase = database + "_idle"
        try psql(admin, "CREATE DATABASE \(idleDatabase)")
        var idleEnv = env
        idleEnv["UPDRAFT_STATE_URL"] = admin.replacingOccurrences(of: "/postgres", with: "/\(idleDatabase)")
        idleEnv["UPDRAFT_HOME"] = BenchCLI.temporaryHome()
        let idleCLI = Spawner(binary: binary, environment: idleEnv)
        try idleCLI.wait(["db", "migrate"])
        let idle = try idleCLI.start(["worker", "--queues", "default", "--concurrency", "\(workerSlots)"])
        try await Task.sleep(for: .seconds(5))
        let seconds = 30.0
        let before = try transactions(admin, idleDatabase)
        try await Task.sleep(for: .seconds(seconds))
        let after = try transactions(admin, idleDatabase)
        idle.terminate()
        idle.waitUntilExit()
        print(String(format: "idle worker alone: %.2f queries/s (transactions in %.0f s)", Double(after - before) / seconds, seconds))

        let store = try await PostgresStateStore.connect(url: url)
        let scheduler = try cli.start(["scheduler", "--queues", ""])
        defer { scheduler.terminate(); scheduler.waitUntilExit() }
        // The fan-out with 4 slots a worker, then 8: a slot waits on the database for
        // part of each try, and more slots put more tries in each write.
        for slots in [workerSlots, 2 * workerSlots] {
            let workers = try (0..<2).map { _ in try cli.start(["worker", "--queues", "default", "--concurrency", "\(slots)"]) }
            defer { for worker in workers { worker.terminate(); worker.waitUntilExit() } }
            // A 10-task run first: the processes open their connections and prepare their
            // statements once, as a scheduler and workers that have been up for a while have done.
            _ = try await timeRun(cli, store, "bench_fanout", n: 10)
            let fanOut = try await timeRun(cli, store, "bench_fanout", n: 10_000)
            print(
                String(
                    format: "fan-out 10,000 tasks over remote workers × %d slots: %.2f s, %.0f tasks/s", slots, fanOut,
                    10_000 / fanOut))
            guard slots == workerSlots else { continue }
            var hops: [Double] = []
            for _ in 0..<3 {
                let one = try await timeRun(cli, store, "bench_chain", n: 1)
                let long = try await timeRun(cli, store, "bench_chain", n: 200)
                hops.append((long - one) / 199 * 1000)
            }
            print(
                String(
                    format: "chain of 200 over remote workers × %d slots: median %.2f ms a hop (%@)", slots, median(hops),
                    hops.map { String(format: "%.2f", $0) }.joined(separator: ", ")))
        }
        await store.close()
    }

    /// Seconds from the trigger command's start until the run is terminal in the store, read
    /// every 10 ms (at most 0.05 ms a hop of a 200-task chain; reading every 2 ms was 500
    /// transactions a second of the benchmark's own on the server it measures).
    static func timeRun(_ cli: Spawner, _ store: PostgresStateStore, _ dag: String, n: Int) async throws -> Double {
        let start = Date()
        let runId = try cli.output(["dags", "trigger", dag, "--conf", "{\"n\": \(n)}"]).split(separator: "\n").last.map(String.init) ?? ""
        let key = RunKey(dag, runId.trimmingCharacters(in: .whitespaces))
        while true {
            if let run = try await store.run(key), run.state.isTerminal {
                guard run.state == .success else { throw BenchError("\(dag) n=\(n) ended \(run.state)") }
                return Date().timeIntervalSince(start)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Committed plus rolled-back transactions of `database` so far (each query of an idle worker is one).
    static func transactions(_ admin: String, _ database: String) throws -> Int {
        let text = try psql(admin, "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '\(database)'")
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-AtX", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("psql failed: \(sql)") }
        return String(decoding: data, as: UTF8.self)
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    struct BenchError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Starts `updraft` commands with the benchmark's environment.
    struct Spawner {
        let binary: String
        let environment: [String: String]

        /// This process's environment with ``environment`` over it.
        var fullEnvironment: [String: String] { ProcessInfo.processInfo.environment.merging(environment) { $1 } }

        /// A long-running command (scheduler, worker), stopped by the caller.
        func start(_ arguments: [String]) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
            process.environment = fullEnvironment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }

        /// Runs a command to its end; throws when it fails.
        func wait(_ arguments: [String]) throws {
            _ = try ChildProcess.run(binary, arguments, environment: fullEnvironment, captureOutput: false)
        }

        /// The standard output of a command run to its end; throws when it fails.
        func output(_ arguments: [String]) throws -> String {
            try ChildProcess.run(binary, arguments, environment: fullEnvironment).output
        }
    }
}
