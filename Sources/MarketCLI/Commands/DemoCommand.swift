import ArgumentParser
import ExchangeSandbox
import Forecasting
import Foundation
import MarketData
import MarketPipeline
import UpdraftCLI
import UpdraftRuntime

/// `updraft demo [--home DIR]`: the whole crypto pipeline against the embedded fake exchange.
///
/// Starts the exchange sandbox on a free loopback port, points a configuration at it (passed to
/// the scheduler and, in their start-up frame, to the worker processes), triggers `get_symbols`
/// and later `incremental` as their schedules would, and lets the scheduler run the rest on the
/// assets they update: `historical` on `symbols`, `indicators` on `tickerdata_1m`, `training` on
/// `indicators_1m`, `scoring` on `models` or `indicators_1m`, `alerts` (two rules) and paper
/// `trading` on `indicators_1m` and `predictions`. Then prints each run's drill-down
/// and a summary, stops everything and exits 0 (1 when a run failed).
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole crypto pipeline against the embedded fake exchange."
    )

    @Option(help: "Folder for the demo's state (default: demo under $UPDRAFT_HOME or ./runs; emptied first).")
    var home: String?
    @Option(help: "Worker processes (default: the core count, at least 2).")
    var parallelism: Int?
    @Option(help: "Give up after this many seconds.")
    var timeout: Int = 600
    /// A smaller demo for the tests: fewer coins, months and training days.
    @Option(help: .hidden) var coins: Int?
    @Option(help: .hidden) var months: Int?
    @Option(help: .hidden) var trainingDays: Int?

    func validate() throws {
        if let parallelism, parallelism < 1 { throw ValidationError("--parallelism must be at least 1") }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1") }
        for (name, value) in [("--coins", coins), ("--months", months), ("--training-days", trainingDays)] {
            if let value, value < 1 { throw ValidationError("\(name) must be at least 1") }
        }
    }

    func run() async throws {
        guard let application = CLIEnvironment.application else {
            throw CLIError.usage("no application: run the CLI through UpdraftApplication.main()")
        }
        let folder = DemoHome(home ?? CLIEnvironment.leadingHome, environment: CLIEnvironment.environment)
        try folder.prepare()
        var chosen = DemoSettings()
        if let parallelism { chosen.parallelism = parallelism }
        if let coins { chosen.coins = coins }
        if let months { chosen.historyMonths = months }
        if let trainingDays { chosen.trainingDays = trainingDays }
        let settings = chosen
        let sandbox = SandboxServer(configuration: settings.sandboxConfiguration())
        let started = Date()
        let failed = try await sandbox.withRunning { endpoints in
            let configuration = try settings.configuration(
                catalog: application.catalog, home: folder.path,
                endpoints: endpoints)
            print("Updraft demo: home \(folder.path)")
            print(
                "Exchange sandbox on \(endpoints.root): \(settings.coins) top coins, "
                    + "\(settings.historyMonths) months of monthly archives plus this month's daily files, "
                    + "\(settings.parallelism) worker processes, exchanges \(settings.exchanges.joined(separator: " and ")), "
                    + "intervals \(settings.intervals.joined(separator: ", "))")
            let engine = try await DemoPipeline.engine(home: folder.path, registry: try application.registry(configuration))
            let stores = try MarketStores(home: folder.path)
            let pipeline = DemoPipeline(
                engine: engine, configuration: configuration,
                progress: DemoProgress(warehouse: stores.warehouse))
            let runs = try await pipeline.run(timeout: TimeInterval(timeout))
            for run in runs {
                let instances = try await engine.store.taskInstances(run: run.key)
                print("")
                print(try RunShowText.render(run: run, instances: instances, group: nil, depth: 1, now: engine.clock.now))
            }
            print("")
            let summary = DemoSummary(
                warehouse: stores.warehouse, forecaster: stores.forecaster, indicators: stores.indicators, horizonMinutes: 60)
            print(try summary.render())
            print("")
            print(try DemoTradingSummary(stores: stores).render())
            return runs.filter { $0.state != .success }.map { "\($0.dagId) (\($0.runId))" }
        }
        print("")
        print(
            String(
                format: "Demo finished in %.1f s. Explore it: updraft runs list --home %@", Date().timeIntervalSince(started),
                folder.path))
        print(
            "Or browse it: updraft users add me --role admin --home \(folder.path), then updraft api-server --home \(folder.path)"
                + " and open the address it prints.")
        if !failed.isEmpty {
            throw CLIError.failed("runs that did not succeed: \(failed.joined(separator: ", "))")
        }
    }
}
