import ExchangeSandbox
import Forecasting
import Foundation
import GRDB
import MarketData
import Testing
import UpdraftRuntime
import UpdraftStore

/// The crypto chain through the built `updraft` binary (scheduler and worker processes) against
/// an exchange sandbox in this process. Serialized: each test spawns worker processes. Waits
/// end on events (a run's state, a process's exit), never on a deadline; the time limit only
/// stops a real hang.
@Suite("crypto pipeline against the sandbox", .serialized, .timeLimit(.minutes(30)))
struct PipelineTests {
    static let chain = ["get_symbols", "historical", "incremental", "indicators", "training", "scoring"]

    @Test func theWholeChainRunsThroughTheSchedulerAndWorkers() async throws {
        let sandbox = SandboxServer(configuration: PipelineHarness.sandboxConfiguration())
        try await sandbox.withRunning { endpoints in
            let harness = PipelineHarness(home: try PipelineHarness.makeHome(), endpoints: endpoints)
            defer { try? FileManager.default.removeItem(atPath: harness.home) }
            let scheduler = try harness.spawn(["scheduler", "--parallelism", "2"], name: "scheduler")
            defer { if scheduler.isRunning { kill(scheduler.processIdentifier, SIGKILL) } }
            // get_symbols and incremental run on their crons; the test plays the crons, one after
            // the other, and the scheduler runs the rest on the assets they update.
            for root in ["get_symbols", "incremental"] {
                try #require(
                    try await harness.run(["dags", "trigger", root], name: "trigger-\(root)") == 0,
                    "\(harness.outputTails())")
                try await harness.wait("the runs after \(root) to settle", while: scheduler) {
                    guard try await !harness.runs(root).isEmpty else { return false }
                    return try await harness.settled()
                }
            }
            for dag in Self.chain {
                let runs = try await harness.runs(dag)
                #expect(!runs.isEmpty && runs.allSatisfy { $0.state == .success }, "\(dag): \(runs.map(\.state))")
            }
            // Every downstream run was made by the asset events of real upstream runs.
            let store = try harness.store()
            for dag in ["historical", "indicators", "training", "scoring"] {
                for run in try await harness.runs(dag) {
                    #expect(run.runType == .assetTriggered && run.triggeredBy == .asset, "\(dag) \(run.runId)")
                    let events = try await store.assetEvents(consumedBy: run.key)
                    #expect(!events.isEmpty, "\(dag) \(run.runId) consumed no event")
                    for event in events {
                        let source = try await store.run(RunKey(event.sourceDagId, event.sourceRunId))
                        #expect(source?.state == .success, "\(dag) \(run.runId): source \(event.sourceDagId)")
                    }
                }
            }
            #expect(try await harness.runs("indicators").count == 2)  // on historical's event, then incremental's
            let warehouse = try harness.warehouse()
            let tracked = try warehouse.symbols().compactMap { $0.isStablecoin ? nil : $0.binancePair }
            #expect(tracked.count == 3)
            let forecaster = try Forecaster(home: harness.home)
            let incrementalStart = try #require(try await harness.runs("incremental").first?.startDate)
            let lastClosedBeforeIncremental = (incrementalStart.timeIntervalSince1970 / 60).rounded(.down) * 60 - 60
            let indicatorRows = try warehouse.read { db in
                Dictionary(
                    try Row.fetchAll(db, sql: "SELECT symbol, COUNT(*) FROM indicators_1m GROUP BY symbol")
                        .map { ($0[0] as String, $0[1] as Int) }, uniquingKeysWith: { $1 })
            }
            for pair in tracked {
                let candles = try warehouse.openTimes(symbol: pair)
                #expect(candles.count > 40_000, "\(pair) has \(candles.count) candles")
                #expect(try warehouse.gaps(symbol: pair).isEmpty, "\(pair) has gaps")
                // Incremental brought it up to the last closed minute before it ran.
                let last = Date(timeIntervalSince1970: Double(candles.last ?? 0) / 1_000_000)
                #expect(
                    last.timeIntervalSince1970 >= lastClosedBeforeIncremental,
                    "\(pair) ends at \(last); incremental started at \(incrementalStart)")
                #expect(indicatorRows[pair] == candles.count, "\(pair): indicator rows")
                #expect(try forecaster.registry.bestModel(symbol: pair, horizonMinutes: 60) != nil, "\(pair): model")
                #expect(try !forecaster.registry.predictions(symbol: pair, limit: 1).isEmpty, "\(pair): predictions")
            }
            try await harness.stop(scheduler)
        }
    }

    @Test func killedDuringHistoricalItResumesWithoutLoadingAnythingTwice() async throws {
        let sandbox = SandboxServer(configuration: PipelineHarness.sandboxConfiguration())
        try await sandbox.withRunning { endpoints in
            let harness = PipelineHarness(home: try PipelineHarness.makeHome(), endpoints: endpoints)
            defer { try? FileManager.default.removeItem(atPath: harness.home) }
            try #require(
                try await harness.run(["dags", "trigger", "get_symbols", "--wait"], name: "get_symbols") == 0, "\(harness.outputTails())")
            // The scheduler creates historical from get_symbols' asset event.
            let first = try harness.spawn(["scheduler", "--parallelism", "2"], name: "scheduler-1")
            try await harness.wait("historical to be created", while: first) { try await !harness.runs("historical").isEmpty }
            let historical = try #require(try await harness.runs("historical").first)
            #expect(historical.runType == .assetTriggered)
            let loads = { () async throws -> [TaskInstance] in
                try await harness.store().taskInstances(run: historical.key).filter { $0.taskId.contains(".files.load_") }
            }
            try await harness.wait("a few files to load", while: first) {
                try await loads().filter { $0.state == .success }.count >= 4
            }
            try await harness.stop(first, signal: SIGKILL)
            let doneBefore = try await loads().filter { $0.state == .success }
            let ledgerBefore = Set(
                try harness.warehouse().read { db in
                    try String.fetchAll(db, sql: "SELECT name FROM archive_file")
                })
            #expect(try await harness.runs("historical").first?.state == .running)
            await #expect(doneBefore.count < (try loads().count), "the kill came after historical ended")

            let second = try harness.spawn(["scheduler", "--parallelism", "2"], name: "scheduler-2")
            defer { if second.isRunning { kill(second.processIdentifier, SIGKILL) } }
            try await harness.wait("historical to end", while: second) {
                try await harness.runs("historical").first?.state.isTerminal == true
            }
            #expect(try await harness.runs("historical").first?.state == .success)
            try await harness.stop(second)
            let after = await Dictionary(try loads().map { ($0.taskId, $0) }, uniquingKeysWith: { $1 })
            // No task that succeeded before the kill ran again.
            for task in doneBefore { #expect(after[task.taskId]?.tryNumber == task.tryNumber, "\(task.taskId)") }
            // Every listed file is in the ledger once, and no file loaded before the kill was downloaded again.
            let ledger = try harness.warehouse().read { db in try String.fetchAll(db, sql: "SELECT name FROM archive_file") }
            #expect(ledger.count == after.count)
            #expect(after.values.allSatisfy { $0.state == .success })
            let logs = try harness.logs("historical")
            for name in ledger {
                let downloads = logs.components(separatedBy: "downloading \(name)\n").count - 1
                #expect(downloads >= 1, "\(name) never downloaded")
                if ledgerBefore.contains(name) { #expect(downloads == 1, "\(name) downloaded \(downloads) times") }
            }
            // Every month and day loaded exactly once: no gap, no duplicate minute.
            let warehouse = try harness.warehouse()
            for pair in Set(ledger.map { String($0.prefix { $0 != "-" }) }) {
                #expect(try warehouse.gaps(symbol: pair).isEmpty, "\(pair) has gaps")
                let rows = try warehouse.read { db in
                    try Int.fetchOne(db, sql: "SELECT SUM(rows) FROM archive_file WHERE symbol = ?", arguments: [pair])
                }
                // The archive's files end with yesterday; incremental (on its cron) adds today's.
                var utc = Calendar(identifier: .gregorian)
                utc.timeZone = TimeZone(identifier: "UTC")!
                let today = Int64(utc.startOfDay(for: Date()).timeIntervalSince1970 * 1_000_000)
                #expect(try warehouse.openTimes(symbol: pair, to: today).count == rows, "\(pair): rows in the ledger")
            }
        }
    }

    @Test func aMonthWithABadChecksumFailsAloneAndIsReported() async throws {
        let sandbox = SandboxServer(configuration: PipelineHarness.sandboxConfiguration())
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.dateComponents([.year, .month], from: PipelineHarness.sandboxConfiguration().historyStart)
        let month = String(format: "%04d-%02d", start.year!, start.month!)
        let bad = "ETHUSDT-1m-\(month).zip"
        sandbox.inject(.wrongChecksum, on: .archiveChecksum, matching: bad, times: nil)
        try await sandbox.withRunning { endpoints in
            let harness = PipelineHarness(home: try PipelineHarness.makeHome(), endpoints: endpoints)
            defer { try? FileManager.default.removeItem(atPath: harness.home) }
            try #require(
                try await harness.run(["dags", "trigger", "get_symbols", "--wait"], name: "get_symbols") == 0, "\(harness.outputTails())")
            let scheduler = try harness.spawn(["scheduler", "--parallelism", "2"], name: "scheduler")
            defer { if scheduler.isRunning { kill(scheduler.processIdentifier, SIGKILL) } }
            try await harness.wait("historical to end", while: scheduler) {
                try await harness.runs("historical").first?.state.isTerminal == true
            }
            let run = try #require(try await harness.runs("historical").first)
            #expect(run.state == .failed)
            let instances = await Dictionary(
                try harness.store().taskInstances(run: run.key).map { ($0.taskId, $0) },
                uniquingKeysWith: { $1 })
            let failed = instances.values.filter { $0.state == .failed && $0.kind != "factory" }.map(\.taskId).sorted()
            let task = "historical.ETHUSDT.files.load_\(month.replacingOccurrences(of: "-", with: "_"))"
            #expect(failed == [task])
            // Retried (1 + 3 retries), and the error names the file.
            #expect(instances[task]?.tryNumber == 4)
            #expect(instances[task]?.error?.contains(bad) == true, "\(instances[task]?.error ?? "no error")")
            #expect(instances["historical.ETHUSDT.mark_updated"]?.state == .upstreamFailed)
            // The other symbols finished.
            let others = try harness.warehouse().symbols().compactMap { $0.isStablecoin ? nil : $0.binancePair }
                .filter { $0 != "ETHUSDT" }
            #expect(others.count == 2)
            for pair in others {
                #expect(instances["historical.\(pair).mark_updated"]?.state == .success, "\(pair)")
            }
            // No asset event from a failed backfill: indicators waits for the next good update.
            #expect(instances["publish"]?.state == .upstreamFailed)
            #expect(try await harness.store().assetEvents(producedBy: run.key).isEmpty)
            let ledger = try harness.warehouse().read { db in try String.fetchAll(db, sql: "SELECT name FROM archive_file") }
            #expect(!ledger.contains(bad))
            try await harness.stop(scheduler)
        }
    }
}

@Suite("crypto pipeline: a pair delisted between runs", .serialized, .timeLimit(.minutes(30)))
struct DelistingTests {
    @Test func aDelistedPairIsNoLongerFetchedAndKeepsItsCandles() async throws {
        let sandbox = SandboxServer(configuration: PipelineHarness.sandboxConfiguration())
        try await sandbox.withRunning { endpoints in
            var harness = PipelineHarness(home: try PipelineHarness.makeHome(), endpoints: endpoints)
            defer { try? FileManager.default.removeItem(atPath: harness.home) }
            // Run 1: three pairs tracked and backfilled.
            try #require(
                try await harness.run(["dags", "trigger", "get_symbols", "--wait"], name: "get_symbols-1") == 0, "\(harness.outputTails())")
            let scheduler = try harness.spawn(["scheduler", "--parallelism", "2"], name: "scheduler")
            try await harness.wait("historical to end", while: scheduler) {
                try await harness.runs("historical").first?.state.isTerminal == true
            }
            try await harness.stop(scheduler)
            #expect(try await harness.runs("historical").first?.state == .success)
            let before = try harness.warehouse().openTimes(symbol: "ETHUSDT").count
            #expect(before > 0)

            // Binance delists ETHUSDT; the next get_symbols sees it in BREAK.
            let base = harness
            let status = try await DelistingExchange.withRunning(upstream: endpoints, delisted: ["ETHUSDT"]) { exchange in
                var delisted = base
                delisted.binanceOverride = exchange
                return try await delisted.run(["dags", "trigger", "get_symbols", "--wait"], name: "get_symbols-2")
            }
            #expect(status == 0)
            let ethereum = try #require(try await harness.warehouse().symbol(id: "ethereum"))
            #expect(ethereum.binancePair == nil)
            let log = try harness.logs("get_symbols")
            #expect(log.contains("1 without a USDT pair skipped"), "\(log)")

            // Run 2 of incremental: the other pairs are fetched, ETHUSDT is not, and nothing fails.
            harness.binanceOverride = nil
            try #require(
                try await harness.run(["dags", "trigger", "incremental", "--wait"], name: "incremental") == 0, "\(harness.outputTails())")
            let incremental = try #require(try await harness.runs("incremental").last)
            let fetched = try await harness.store().taskInstances(run: incremental.key)
                .filter { $0.taskId.hasPrefix("fetch.") }.map(\.taskId)
            #expect(!fetched.contains("fetch.ETHUSDT"))
            #expect(try await harness.warehouse().openTimes(symbol: "ETHUSDT").count == before)
        }
    }
}
