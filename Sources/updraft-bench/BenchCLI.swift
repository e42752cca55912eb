import Foundation

/// Spawns the `updraft` binary for the engine benchmark.
struct BenchCLI {
    let binary: String

    /// Every temporary home of this process lives under one directory, removed when the benchmark ends.
    static let temporaryRoot = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-bench-\(getpid())")

    /// A new home under ``temporaryRoot``, not created yet.
    static func temporaryHome() -> String {
        temporaryRoot.appendingPathComponent(UUID().uuidString).path
    }

    /// The DAGs with a schedule of their own: paused where a scheduler must stay idle.
    static let scheduledDAGs = [
        "get_symbols", "incremental", "historical", "indicators", "training", "scoring", "alerts", "trading", "bench_daily",
    ]

    /// Every endpoint of the market DAGs on a closed loopback port: a benchmark never reaches out.
    static let closedEndpoints: [String: String] = Dictionary(
        uniqueKeysWithValues: ["COINGECKO", "BINANCE", "ARCHIVE", "ARCHIVE_LISTING", "KRAKEN", "KUCOIN", "POLONIEX"].map {
            ("UPDRAFT_ENDPOINTS_\($0)", "http://127.0.0.1:9")
        } + [("UPDRAFT_TRADING_ENDPOINT", "http://127.0.0.1:9")])

    /// This process's environment with the closed endpoints, `extra` and the home.
    func environment(home: String, extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.merging(Self.closedEndpoints) { $1 }.merging(extra) { $1 }
        environment["UPDRAFT_HOME"] = home
        return environment
    }

    /// The command, not started yet: the binary, the closed endpoints, `extra`, the home; output discarded.
    func process(_ arguments: [String], home: String, environment extra: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment(home: home, extra: extra)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return process
    }

    func spawn(_ arguments: [String], home: String, environment extra: [String: String] = [:]) throws -> Process {
        let process = process(arguments, home: home, environment: extra)
        try process.run()
        return process
    }

    /// Wall time from spawn to exit, in seconds; throws when the command fails.
    func time(_ arguments: [String], home: String) throws -> Double {
        try timeWithPeakRSS(arguments, home: home).seconds
    }

    /// Wall time of a command and the peak RSS in MB of its largest process (the CLI owns the run;
    /// its workers are smaller), read from the child's resource usage when it is reaped.
    func timeWithPeakRSS(_ arguments: [String], home: String) throws -> (seconds: Double, peakRSS: Double) {
        let outcome = try ChildProcess.run(binary, arguments, environment: environment(home: home), captureOutput: false)
        return (outcome.seconds, outcome.peakRSS)
    }

    /// The standard output of a command; throws when it fails.
    func output(_ arguments: [String], home: String) throws -> String {
        try ChildProcess.run(binary, arguments, environment: environment(home: home)).output
    }

    /// Starts a scheduler with 2 workers on an empty home whose scheduled DAGs are paused, waits
    /// until its idle workers have exited (`worker_idle_timeout` 2 s here, 60 s by default), and
    /// reads the memory (RSS and PSS of its process tree) and CPU it uses while idle.
    func idleScheduler(home: String) throws -> (rss: Double, pss: Double, workers: Int, cpu: Double, seconds: Double) {
        for dag in Self.scheduledDAGs { try spawn(["dags", "pause", dag], home: home).waitUntilExit() }
        let process = try spawn(
            ["scheduler", "--parallelism", "2"], home: home, environment: ["UPDRAFT_WORKER_IDLE_TIMEOUT": "2"])
        defer { process.terminate(); process.waitUntilExit() }
        let pid = process.processIdentifier
        func tree() -> [Int32] {
            [pid]
                + ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init)
                .filter { parent(of: $0) == pid }
        }
        Thread.sleep(forTimeInterval: 2)
        for _ in 0..<100 where tree().count > 1 { Thread.sleep(forTimeInterval: 0.1) }
        let before = tree().map(cpuSeconds).reduce(0, +)
        let idle = 5.0
        Thread.sleep(forTimeInterval: idle)
        let processes = tree()
        let cpu = processes.map(cpuSeconds).reduce(0, +) - before
        return (processes.map(rssMB).reduce(0, +), processes.map(pssMB).reduce(0, +), processes.count - 1, cpu, idle)
    }

    /// Proportional set size (`/proc/PID/smaps_rollup`), in MB.
    func pssMB(_ pid: Int32) -> Double {
        let rollup = (try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)) ?? ""
        let line = rollup.split(separator: "\n").first { $0.hasPrefix("Pss:") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    func rssMB(_ pid: Int32) -> Double {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    func parent(of pid: Int32) -> Int32? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        return Int32(text[text.index(after: close)...].split(separator: " ")[1])
    }

    func cpuSeconds(_ pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
