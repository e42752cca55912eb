import ExchangeSandbox
import Foundation
import MarketData
import MarketPipeline
import UpdraftConfig
import UpdraftRuntime
import UpdraftStore

/// Drives the built `updraft` binary (`.build/debug/updraft`) against an exchange sandbox that
/// runs in the test process: a temporary home, the sandbox's endpoints and a small universe in
/// the child's environment, schedules off so only triggered runs happen.
struct PipelineHarness: Sendable {
    let home: String
    let endpoints: SandboxEndpoints
    var coins = 4  // the sandbox's top 4 hold one stablecoin: 3 tracked pairs
    var historyMonths = 1
    /// Replaces `endpoints.binance` (e.g. an exchange that delisted a pair).
    var binanceOverride: String?

    static var binary: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent(".build/debug/updraft").path
    }

    static func makeHome() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-dags-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The sandbox the tests use: history from the first day of last month.
    static func sandboxConfiguration(now: Date = Date()) -> SandboxConfiguration {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let monthStart = calendar.dateInterval(of: .month, for: now)!.start
        return SandboxConfiguration(
            seed: 11, historyStart: calendar.date(byAdding: .month, value: -1, to: monthStart)!,
            coinCount: 40)
    }

    var environment: [String: String] {
        var values: [String: String] = [
            "home": home, "parallelism": "2",
            "endpoints.coingecko": endpoints.coinGecko, "endpoints.binance": endpoints.binance,
            "endpoints.archive": endpoints.archive, "endpoints.archive_listing": endpoints.listing,
            "coingecko.calls_per_minute": "600", "universe.coins": "\(coins)", "universe.extra_symbols": "",
            "data.history_months": "\(historyMonths)", "models.training_days": "7", "http.retries": "1",
            "schedules.get_symbols": "none", "schedules.incremental": "none",
        ]
        values["coingecko.api_key"] = ""
        let catalog = ConfigCatalog.engine.adding(MarketConfig.keys)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("UPDRAFT_") }
        for (path, value) in values { environment[catalog.key(path)!.environmentVariable] = value }
        if let binanceOverride { environment[catalog.key("endpoints.binance")!.environmentVariable] = binanceOverride }
        environment["UPDRAFT_HOME"] = home
        return environment
    }

    /// Starts `updraft ARGS…` with output into `<home>/<name>.out`.
    func spawn(_ arguments: [String], name: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.environment = environment
        let output = home + "/\(name).out"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Runs `updraft ARGS…` to its end; returns its exit status. Polls rather than blocking a
    /// thread: the sandbox answers on the same concurrency pool.
    @discardableResult
    func run(_ arguments: [String], name: String) async throws -> Int32 {
        let process = try spawn(arguments, name: name)
        try await wait("updraft \(arguments.joined(separator: " ")) to exit") { !process.isRunning }
        return process.terminationStatus
    }

    /// Stops a spawned process with `signal` and waits for it without blocking a thread.
    func stop(_ process: Process, signal: Int32 = SIGTERM) async throws {
        if process.isRunning { kill(process.processIdentifier, signal) }
        try await wait("process \(process.processIdentifier) to exit") { !process.isRunning }
    }

    func store() throws -> SQLiteStateStore { try SQLiteStateStore(path: home + "/updraft.db") }
    func warehouse() throws -> KlineWarehouse { try KlineWarehouse(home: home) }

    /// Polls every 200 ms until `condition` holds. There is no deadline (how long the work takes
    /// depends on the machine); instead it fails as soon as the condition can no longer come true
    /// because `worker`, the process doing the work, has exited. The suites' time limit is the
    /// backstop against a real hang.
    func wait(_ what: String, while worker: Process? = nil, _ condition: () async throws -> Bool) async throws {
        while try await !condition() {
            if let worker, !worker.isRunning {
                guard try await !condition() else { return }
                let how = worker.terminationReason == .uncaughtSignal ? "was killed by signal" : "exited with status"
                throw HarnessGaveUp(
                    what: what, home: home,
                    reason: "updraft \(worker.arguments?.joined(separator: " ") ?? "") \(how) \(worker.terminationStatus)",
                    output: outputTails())
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// The last lines of every spawned process's output (`<home>/*.out`), for a failure message:
    /// the home is deleted when the test ends.
    func outputTails(lines: Int = 15) -> String {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: home)) ?? []).filter { $0.hasSuffix(".out") }
        return names.sorted().map { name in
            let text = (try? String(contentsOfFile: home + "/" + name, encoding: .utf8)) ?? ""
            return "--- \(name)\n" + text.split(separator: "\n").suffix(lines).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// Whether the pipeline has settled: every run ended and no asset event waits for a run of
    /// the DAGs scheduled on assets.
    func settled() async throws -> Bool {
        // Twice, half a second apart: a run's end and the asset events that start the next runs
        // are not always one commit, and a loaded machine can be caught in between.
        guard try await settledOnce() else { return false }
        try await Task.sleep(for: .milliseconds(500))
        return try await settledOnce()
    }

    private func settledOnce() async throws -> Bool {
        let store = try store()
        guard try await store.runs(RunQuery()).allSatisfy({ $0.state.isTerminal }) else { return false }
        for dag in ["historical", "indicators", "training", "scoring"] {
            if try await !store.queuedAssetEvents(dagId: dag).isEmpty { return false }
        }
        return true
    }

    /// The runs of `dagId`, oldest first.
    func runs(_ dagId: String) async throws -> [DAGRun] {
        try await store().runs(RunQuery(dagId: dagId)).sorted { $0.queuedAt < $1.queuedAt }
    }

    /// Every try log of `dagId`'s runs, concatenated.
    func logs(_ dagId: String) throws -> String {
        let root = home + "/logs/\(dagId)"
        guard let walker = FileManager.default.enumerator(atPath: root) else { return "" }
        var text = ""
        for case let path as String in walker where path.hasSuffix(".log") {
            text += (try? String(contentsOfFile: root + "/" + path, encoding: .utf8)) ?? ""
        }
        return text
    }
}

struct HarnessGaveUp: Error, CustomStringConvertible {
    var what: String
    var home: String
    var reason: String
    var output: String
    var description: String { "stopped waiting for \(what): \(reason) (home \(home))\n\(output)" }
}
