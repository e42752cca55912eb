import ExchangeSandbox
import Foundation
import UpdraftConfig

/// How big the demo is and where it points: the configuration it sets through `UPDRAFT_*`
/// environment variables, so the worker processes (started after) inherit exactly the same.
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

    /// Exports `values` as `UPDRAFT_<KEY>` variables (and `UPDRAFT_HOME`) of this process, and
    /// drops `UPDRAFT_CONFIG`, so a user's file cannot change the demo.
    func export(home: String, endpoints: SandboxEndpoints) throws {
        unsetenv("UPDRAFT_CONFIG")
        for (path, value) in values(home: home, endpoints: endpoints) {
            guard let key = ConfigCatalog.key(path) else {
                throw CLIError.failed("the demo sets an unknown configuration key '\(path)'")
            }
            setenv(key.environmentVariable, value, 1)
        }
        setenv("UPDRAFT_HOME", home, 1)
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
