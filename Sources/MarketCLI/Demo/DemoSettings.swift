import ExchangeSandbox
import Foundation
import MarketPipeline
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
    /// Exchanges `incremental` fetches from: Binance (with its archive) and KuCoin (a day back).
    var exchanges = ["binance", "kucoin"]
    /// Intervals kept: 1m stored, the others resampled from it.
    var intervals = ["1m", "5m", "1h"]
    /// Worker processes.
    var parallelism = max(2, ProcessInfo.processInfo.activeProcessorCount)
    /// Market alert rules that fire on the synthetic market: an RSI crossing and a price move.
    static let alertRules = ["rsi_above level=70 name=demo-rsi-hot", "price_move percent=0.5 minutes=15 name=demo-move"]

    /// The configuration values, by key path (the typed keys' paths, so a misspelt key does not
    /// compile).
    func values(home: String, endpoints: SandboxEndpoints) -> [String: String] {
        [
            ConfigKey<String>.home.path: home,
            ConfigKey<Int>.parallelism.path: "\(parallelism)",
            ConfigKey<URL>.coingeckoEndpoint.path: endpoints.coinGecko,
            ConfigKey<URL>.binanceEndpoint.path: endpoints.binance,
            ConfigKey<URL>.archiveEndpoint.path: endpoints.archive,
            ConfigKey<URL>.archiveListingEndpoint.path: endpoints.listing,
            ConfigKey<URL>.krakenEndpoint.path: endpoints.kraken,
            ConfigKey<URL>.kucoinEndpoint.path: endpoints.kucoin,
            ConfigKey<URL>.poloniexEndpoint.path: endpoints.poloniex,
            ConfigKey<[String]>.universeExchanges.path: exchanges.joined(separator: ", "),
            ConfigKey<[String]>.dataIntervals.path: intervals.joined(separator: ", "),
            ConfigKey<Secret>.coingeckoAPIKey.path: "",
            ConfigKey<Int>.coingeckoCallsPerMinute.path: "600",
            ConfigKey<Int>.binanceWeightPerMinute.path: "6000",
            ConfigKey<Int>.universeCoins.path: "\(coins)",
            ConfigKey<[String]>.universeExtraSymbols.path: "",
            ConfigKey<Int>.dataHistoryMonths.path: "\(historyMonths)",
            ConfigKey<Bool>.dataForwardFill.path: "false",
            ConfigKey<Int>.modelsTrainingDays.path: "\(trainingDays)",
            ConfigKey<Int>.httpRetries.path: "2",
            // Comma-separated, as an environment variable gives a list: the rules hold no comma.
            ConfigKey<[String]>.alertsRules.path: Self.alertRules.joined(separator: ","),
            ConfigKey<String>.tradingMode.path: "paper",
            // Any positive predicted return buys, any negative one sells: the demo trades.
            ConfigKey<Double>.tradingBuyAbove.path: "0",
            ConfigKey<Double>.tradingSellBelow.path: "-0.0001",
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
