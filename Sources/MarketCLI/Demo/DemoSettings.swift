import ExchangeSandbox
import Foundation
import UpdraftCLI
import UpdraftConfig

/// How big the demo is and where it points: the configuration it builds (no user file, no
/// `UPDRAFT_*` variable), passed to the scheduler and to every worker process.
struct DemoSettings: Sendable {
    /// Top coins by market cap asked from CoinGecko; the sandbox's top 13 hold 2 stablecoins and
    /// a coin with no USDT pair, which leaves 10 tracked pairs.
    var coins = 13
    /// Months of monthly archive files before the current month (daily files cover the rest).
    var historyMonths = 3
    /// Days of candles each model trains on.
    var trainingDays = 14
    /// Worker processes.
    var parallelism = max(2, ProcessInfo.processInfo.activeProcessorCount)

    /// The configuration values, by key.
    func values(home: String, endpoints: SandboxEndpoints) -> [String: String] {
        [
            "home": home,
            "parallelism": "\(parallelism)",
            "endpoints.coingecko": endpoints.coinGecko,
            "endpoints.binance": endpoints.binance,
            "endpoints.archive": endpoints.archive,
            "endpoints.archive_listing": endpoints.listing,
            "coingecko.api_key": "",
            "coingecko.calls_per_minute": "600",
            "binance.weight_per_minute": "6000",
            "universe.coins": "\(coins)",
            "universe.extra_symbols": "",
            "data.history_months": "\(historyMonths)",
            "data.forward_fill": "false",
            "models.training_days": "\(trainingDays)",
            "http.retries": "2",
        ]
    }

    /// The demo's configuration: defaults of `catalog`, then `values`; neither a user's file nor
    /// the environment can change it.
    func configuration(catalog: ConfigCatalog, home: String, endpoints: SandboxEndpoints) throws -> UpdraftConfiguration {
        do {
            return try ConfigLoader.load(catalog: catalog, home: home, configFile: nil, environment: [:])
                .overriding(values(home: home, endpoints: endpoints), origin: "demo")
        } catch {
            throw CLIError.failed("the demo's configuration is invalid: \(error)")
        }
    }

    /// The sandbox: history from the first day of the month `historyMonths` before this one,
    /// the system clock as its "now", and the real archive files built into `updraft`.
    func sandboxConfiguration(now: Date = Date()) -> SandboxConfiguration {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let monthStart = calendar.dateInterval(of: .month, for: now)!.start
        let start = calendar.date(byAdding: .month, value: -historyMonths, to: monthStart)!
        return SandboxConfiguration(seed: 42, historyStart: start, coinCount: 60, fixtureRoot: SandboxFixtures.binanceRoot)
    }
}
