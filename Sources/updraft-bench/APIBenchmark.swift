import Foundation
import UpdraftConfig
import UpdraftCore
import UpdraftDAGs
import UpdraftRuntime
import UpdraftStore

/// The API server's figures (issue 10): `wrk` on loopback with 64 connections against
/// `GET /api/v2/dags/~/dagRuns?limit=50` over a store holding 1,000 runs of a 200-task DAG and one
/// 10,000-task run; the time of one answer with all 10,000 task instances of the big run; and the
/// server's RSS. The server is the release `updraft api-server`, a process of its own.
enum APIBenchmark {
    static func run() async throws {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let binary = directory.appendingPathComponent("updraft").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("api: build the updraft product first (swift build -c release --product updraft)")
            return
        }
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            print("api: wrk is not installed (apt-get install wrk; `make bench` does it)")
            return
        }
        print("== api server (release, \(ProcessInfo.processInfo.activeProcessorCount) cores, wrk -c64)")
        let home = BenchCLI.temporaryHome()
        let bigRun = try await populate(home: home, binary: binary)
        try "api:\n  maximum_page_limit: 10000\n  bcrypt_cost: 4\n".write(
            toFile: home + "/updraft.yaml", atomically: true, encoding: .utf8)
        chmod(home + "/updraft.yaml", 0o600)
        try run(binary, ["users", "add", "bench", "--role", "viewer"], home: home, input: "bench-password\n")

        let server = try startServer(binary, home: home)
        defer { server.process.terminate(); server.process.waitUntilExit() }
        guard let base = server.base else {
            print("api: the server did not say where it listens: \(server.line)")
            return
        }
        let token = try curl([
            "-s", "-X", "POST", base + "/auth/token", "-H", "Content-Type: application/json",
            "-d", #"{"username": "bench", "password": "bench-password"}"#,
        ])
        guard case .object(let fields) = try JSONDecoder().decode(JSONValue.self, from: Data(token.utf8)),
            case .string(let bearer)? = fields["access_token"]
        else {
            print("api: no token: \(token)")
            return
        }
        let header = "Authorization: Bearer " + bearer

        let list = base + "/api/v2/dags/~/dagRuns?limit=50"
        _ = try run(wrk, ["-t2", "-c64", "-d3s", "-H", header, list], home: home)  // warm-up
        let report = try run(wrk, ["-t2", "-c64", "-d10s", "--latency", "-H", header, list], home: home)
        let rps =
            report.split(separator: "\n").first { $0.hasPrefix("Requests/sec:") }.map { String($0.split(separator: " ").last ?? "") } ?? "?"
        let p99 =
            report.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("99%") }
            .map { String($0.split(separator: " ").last ?? "") } ?? "?"
        let non2xx = report.split(separator: "\n").first { $0.contains("Non-2xx") }.map(String.init) ?? "no non-2xx answers"
        print(
            "GET /api/v2/dags/~/dagRuns?limit=50 (1,000 + 1 runs): \(rps) requests/s, p99 \(p99) (\(non2xx.trimmingCharacters(in: .whitespaces)))"
        )

        let all = base + "/api/v2/dags/bench_fanout/dagRuns/\(bigRun)/taskInstances?limit=10000"
        var times: [Double] = []
        var count = 0
        for _ in 0..<7 {
            let started = Date()
            let body = try curl(["-s", "-H", header, all])
            times.append(Date().timeIntervalSince(started))
            if case .object(let fields) = try JSONDecoder().decode(JSONValue.self, from: Data(body.utf8)),
                case .array(let instances)? = fields["task_instances"]
            {
                count = instances.count
            }
        }
        print(
            String(
                format:
                    "all task instances of the 10,000-task run in one answer: %d instances, median %.0f ms (min %.0f ms, curl included)",
                count, EngineBenchmark.median(times) * 1000, times.min()! * 1000))
        let cli = BenchCLI(binary: binary)
        print(
            String(
                format: "server RSS after the load: %.1f MB (peak %.1f MB)", cli.rssMB(server.process.processIdentifier),
                peakMB(server.process.processIdentifier)))
    }

    /// 1,000 finished runs of `bench_fanout` with 200 task instances each, written straight to the
    /// store (the list reads runs; executing 200,000 no-ops would only make the set-up slow), and
    /// one 10,000-task run executed for real. Returns the big run's id.
    static func populate(home: String, binary: String) async throws -> String {
        let engine = try await Engine.open(home: EngineHome(home), registry: try UpdraftDAGs.registry(.defaults()))
        let dag = try engine.registry.dag("bench_fanout")
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        for index in 0..<1_000 {
            let logical = start.addingTimeInterval(Double(index) * 3600)
            var run = DAGRun(
                dagId: dag.id, runId: "manual__bench_\(index)", runType: .manual, logicalDate: logical,
                dataInterval: DataInterval(start: logical, end: logical), queuedAt: logical)
            var instances = dag.graph.nodes.map { TaskInstance(runId: run.runId, dagId: dag.id, node: $0) }
            for task in 0..<200 {
                instances.append(TaskInstance(runId: run.runId, dagId: dag.id, taskId: "fan.task_\(task)", group: "fan"))
            }
            for i in instances.indices {
                instances[i].state = .success; instances[i].tryNumber = 1
                instances[i].startDate = logical; instances[i].endDate = logical.addingTimeInterval(1)
            }
            try await engine.store.createRun(run, instances: instances)
            run.state = .success
            run.startDate = logical
            run.endDate = logical.addingTimeInterval(2)
            var batch = StateBatch()
            batch.runs = [run]
            try await engine.store.commit(batch)
        }
        let executor = try await WorkerPoolExecutor(size: 2, executable: binary, startup: try UpdraftConfiguration.defaults().encoded())
        let big = try await EngineBenchmark.timed(engine, executor, "bench_fanout", ["n": 10_000])
        await executor.shutdown()
        return big.runId
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], home: String, input: String? = nil) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["UPDRAFT_HOME"] = home
        return try ChildProcess.run(executable, arguments, environment: environment, input: input).output
    }

    static func curl(_ arguments: [String]) throws -> String { try run("/usr/bin/curl", arguments, home: "") }

    /// `binary api-server --port 0` over `home`, and the address from the line it prints (nil base
    /// when the line has none). The caller terminates it.
    static func startServer(_ binary: String, home: String) throws -> (process: Process, base: String?, line: String) {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary)
        server.arguments = ["api-server", "--port", "0"]
        var environment = ProcessInfo.processInfo.environment
        environment["UPDRAFT_HOME"] = home
        server.environment = environment
        let output = Pipe()
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        let line = String(decoding: output.fileHandleForReading.availableLine(), as: UTF8.self)
        guard let range = line.range(of: "http://127.0.0.1:"), let port = Int(line[range.upperBound...].prefix { $0.isNumber }) else {
            return (server, nil, line)
        }
        return (server, "http://127.0.0.1:\(port)", line)
    }

    static func peakMB(_ pid: Int32) -> Double {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
}

extension FileHandle {
    /// Bytes up to the first newline (blocking).
    fileprivate func availableLine() -> [UInt8] {
        var line: [UInt8] = []
        while let byte = try? read(upToCount: 1), let first = byte.first, first != 0x0A { line.append(first) }
        return line
    }
}
