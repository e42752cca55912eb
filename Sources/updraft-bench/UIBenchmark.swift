import Foundation
import UpdraftConfig
import UpdraftCore
import UpdraftDAGs
import UpdraftRuntime
import UpdraftStore

/// The web UI's figures (issue 11): the grid of the last 25 runs of a 10,000-task DAG
/// (`bench_fanout`, n = 10,000: 250,000 task instances) with its group collapsed, and one group's
/// rows when it is expanded; time measured by curl on loopback (the server's time plus a little)
/// and bytes over the wire. The server is the release `updraft api-server`, a process of its own.
enum UIBenchmark {
    static func run() async throws {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let binary = directory.appendingPathComponent("updraft").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("ui: build the updraft product first (swift build -c release --product updraft)")
            return
        }
        print("== web UI (release, \(ProcessInfo.processInfo.activeProcessorCount) cores)")
        let home = BenchCLI.temporaryHome()
        let populated = Date()
        try await populate(home: home, runs: 25, tasks: 10_000)
        print(String(format: "set-up: 25 runs × 10,000 task instances written in %.1f s", Date().timeIntervalSince(populated)))
        try "api:\n  bcrypt_cost: 4\n".write(toFile: home + "/updraft.yaml", atomically: true, encoding: .utf8)
        chmod(home + "/updraft.yaml", 0o600)
        try APIBenchmark.run(binary, ["users", "add", "bench", "--role", "viewer"], home: home, input: "bench-password\n")

        let server = try APIBenchmark.startServer(binary, home: home)
        defer { server.process.terminate(); server.process.waitUntilExit() }
        guard let base = server.base else {
            print("ui: the server did not say where it listens: \(server.line)")
            return
        }
        let jar = home + "/cookies"
        _ = try APIBenchmark.curl(["-s", "-c", jar, "-o", "/dev/null", "-d", "username=bench&password=bench-password", base + "/login"])
        func measure(_ name: String, _ path: String) throws {
            var times: [Double] = []
            var bytes = 0
            var status = ""
            for _ in 0..<9 {
                let result = try APIBenchmark.curl([
                    "-s", "-b", jar, "-o", "/dev/null", "--compressed", "-w", "%{http_code} %{time_total} %{size_download}", base + path,
                ])
                let parts = result.split(separator: " ")
                status = String(parts.first ?? "?")
                times.append(Double(parts.dropFirst().first ?? "0") ?? 0)
                bytes = Int(parts.dropFirst(2).first ?? "0") ?? 0
            }
            print(
                String(
                    format: "%@: HTTP %@, median %.0f ms (min %.0f ms), %.1f KB", name, status, EngineBenchmark.median(times) * 1000,
                    times.min()! * 1000, Double(bytes) / 1024))
        }
        try measure("grid, last 25 runs of the 10,000-task DAG, groups collapsed", "/dags/bench_fanout/grid")
        try measure("grid, the group `fan` expanded (first 100 of its 10,000 rows)", "/dags/bench_fanout/grid?expand=fan")
        try measure("rows of the group `fan` alone (what expanding fetches)", "/dags/bench_fanout/grid/rows?group=fan")
        try measure("DAG list", "/dags")
        let cli = BenchCLI(binary: binary)
        print(
            String(
                format: "server RSS after the load: %.1f MB (peak %.1f MB)", cli.rssMB(server.process.processIdentifier),
                APIBenchmark.peakMB(server.process.processIdentifier)))
    }

    /// `runs` finished runs of `bench_fanout` with `tasks` task instances each (states mixed as a
    /// busy DAG's are), written straight to the store.
    static func populate(home: String, runs: Int, tasks: Int) async throws {
        let engine = try await Engine.open(home: EngineHome(home), registry: try UpdraftDAGs.registry(.defaults()))
        let dag = try engine.registry.dag("bench_fanout")
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let states: [TaskState] = [.success, .success, .success, .success, .failed, .upstreamFailed, .skipped, .success]
        for index in 0..<runs {
            let logical = start.addingTimeInterval(Double(index) * 3600)
            var run = DAGRun(
                dagId: dag.id, runId: "manual__ui_\(index)", runType: .manual, logicalDate: logical,
                dataInterval: DataInterval(start: logical, end: logical), queuedAt: logical)
            var instances = dag.graph.nodes.map { TaskInstance(runId: run.runId, dagId: dag.id, node: $0) }
            for task in 0..<tasks {
                var instance = TaskInstance(runId: run.runId, dagId: dag.id, taskId: "fan.task_\(task)", group: "fan")
                instance.state = states[(task + index) % states.count]
                instances.append(instance)
            }
            for i in instances.indices where instances[i].state == .none {
                instances[i].state = .success
            }
            for i in instances.indices {
                instances[i].tryNumber = 1
                instances[i].startDate = logical; instances[i].endDate = logical.addingTimeInterval(1)
            }
            try await engine.store.createRun(run, instances: instances)
            run.state = index % 5 == 4 ? .failed : .success
            run.startDate = logical
            run.endDate = logical.addingTimeInterval(2)
            var batch = StateBatch()
            batch.runs = [run]
            try await engine.store.commit(batch)
        }
    }
}
