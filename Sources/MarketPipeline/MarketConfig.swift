import Foundation
import MarketData
import UpdraftConfig

/// The crypto pipeline's configuration keys, contributed to the binary's catalog by its
/// extension (`MarketExtension`), so `config show`, validation and the example file cover them.
///
/// ```swift
/// let coins = configuration[.universeCoins]          // Int
/// let endpoint = configuration[.coingeckoEndpoint]   // URL
/// ```
public enum MarketConfig {
    /// Every key, in the order `config show` prints them.
    public static var keys: [ConfigKeySpec] {
        [
            ConfigKey<URL>.coingeckoEndpoint.spec, ConfigKey<URL>.binanceEndpoint.spec,
            ConfigKey<URL>.archiveEndpoint.spec, ConfigKey<URL>.archiveListingEndpoint.spec,
            ConfigKey<URL>.krakenEndpoint.spec, ConfigKey<URL>.kucoinEndpoint.spec, ConfigKey<URL>.poloniexEndpoint.spec,
            ConfigKey<Secret>.coingeckoAPIKey.spec, ConfigKey<String>.coingeckoAPIKeyKind.spec,
            ConfigKey<Int>.coingeckoCallsPerMinute.spec, ConfigKey<Int>.binanceWeightPerMinute.spec,
            ConfigKey<Int>.universeCoins.spec, ConfigKey<[String]>.universeExtraSymbols.spec,
            ConfigKey<String>.universeQuoteAsset.spec, ConfigKey<[String]>.universeExchanges.spec,
            ConfigKey<[String]>.dataIntervals.spec, ConfigKey<Int>.dataHistoryMonths.spec,
            ConfigKey<Bool>.dataForwardFill.spec,
            ConfigKey<String>.getSymbolsSchedule.spec, ConfigKey<String>.incrementalSchedule.spec,
            ConfigKey<Int>.modelsHorizonMinutes.spec, ConfigKey<Int>.modelsTrainingDays.spec,
            ConfigKey<Int>.modelsRetrainAfterHours.spec,
            ConfigKey<Int>.httpRetries.spec,
        ] + alertAndTradingKeys
    }
}

extension ConfigKey where Value == URL {
    public static var coingeckoEndpoint: ConfigKey<URL> {
        ConfigKey(
            "endpoints.coingecko", .url, default: URL(string: "https://api.coingecko.com/api/v3")!,
            "CoinGecko API base URL (pro plans: https://pro-api.coingecko.com/api/v3).")
    }
    public static var binanceEndpoint: ConfigKey<URL> {
        ConfigKey(
            "endpoints.binance", .url, default: URL(string: "https://api.binance.com")!,
            "Binance spot REST base URL (market data also at https://data-api.binance.vision).")
    }
    public static var archiveEndpoint: ConfigKey<URL> {
        ConfigKey(
            "endpoints.archive", .url, default: URL(string: "https://data.binance.vision")!,
            "Binance public data archive base URL (monthly and daily kline zips).")
    }
    public static var archiveListingEndpoint: ConfigKey<URL> {
        ConfigKey(
            "endpoints.archive_listing", .url,
            default: URL(string: "https://s3-ap-northeast-1.amazonaws.com/data.binance.vision")!,
            "S3 bucket that lists the archive's files (ListObjects v1).")
    }
    public static var krakenEndpoint: ConfigKey<URL> {
        ConfigKey(
            "endpoints.kraken", .url, default: URL(string: "https://api.kraken.com")!,
            "Kraken REST base URL (public market data under /0/public).")
    }
    public static var kucoinEndpoint: ConfigKey<URL> {
        ConfigKey("endpoints.kucoin", .url, default: URL(string: "https://api.kucoin.com")!, "KuCoin REST base URL.")
    }
    public static var poloniexEndpoint: ConfigKey<URL> {
        ConfigKey("endpoints.poloniex", .url, default: URL(string: "https://api.poloniex.com")!, "Poloniex REST base URL.")
    }
}

extension ConfigKey where Value == Secret {
    public static var coingeckoAPIKey: ConfigKey<Secret> {
        ConfigKey(
            "coingecko.api_key", .secret, default: Secret(""),
            "CoinGecko API key; empty for keyless access. Never printed or logged.")
    }
}

extension ConfigKey where Value == String {
    public static var coingeckoAPIKeyKind: ConfigKey<String> {
        ConfigKey(
            "coingecko.api_key_kind", .choice(["demo", "pro"]), default: "demo",
            "Which header carries the key: x-cg-demo-api-key or x-cg-pro-api-key.")
    }
    public static var universeQuoteAsset: ConfigKey<String> {
        ConfigKey("universe.quote_asset", .string, default: "USDT", "Quote asset of the Binance pairs coins map to.")
    }
    public static var getSymbolsSchedule: ConfigKey<String> {
        ConfigKey("schedules.get_symbols", .schedule, default: "@daily", "When get_symbols refreshes the coin list (UTC).")
    }
    public static var incrementalSchedule: ConfigKey<String> {
        ConfigKey(
            "schedules.incremental", .schedule, default: "*/15 * * * *",
            "When incremental fetches new candles; indicators, training and scoring follow it.")
    }
}

extension ConfigKey where Value == Int {
    public static var coingeckoCallsPerMinute: ConfigKey<Int> {
        ConfigKey(
            "coingecko.calls_per_minute", .integer(minimum: 1), default: 10,
            "CoinGecko request budget per minute (keyless: 5–15, demo key: 30).")
    }
    public static var binanceWeightPerMinute: ConfigKey<Int> {
        ConfigKey(
            "binance.weight_per_minute", .integer(minimum: 1), default: 6000,
            "Binance request-weight budget per minute per IP.")
    }
    public static var universeCoins: ConfigKey<Int> {
        ConfigKey("universe.coins", .integer(minimum: 1), default: 20, "How many top coins by market cap get_symbols tracks.")
    }
    public static var dataHistoryMonths: ConfigKey<Int> {
        ConfigKey(
            "data.history_months", .integer(minimum: 1), default: 12,
            "How many months back historical backfills a new symbol.")
    }
    public static var modelsHorizonMinutes: ConfigKey<Int> {
        ConfigKey(
            "models.horizon_minutes", .integer(minimum: 1), default: 60,
            "Forecast horizon: the forward log return over this many minutes.")
    }
    public static var modelsTrainingDays: ConfigKey<Int> {
        ConfigKey("models.training_days", .integer(minimum: 1), default: 30, "Days of 1-minute candles a model trains on.")
    }
    public static var modelsRetrainAfterHours: ConfigKey<Int> {
        ConfigKey(
            "models.retrain_after_hours", .integer(minimum: 0), default: 24,
            "A symbol's best model older than this is retrained when training runs.")
    }
    public static var httpRetries: ConfigKey<Int> {
        ConfigKey(
            "http.retries", .integer(minimum: 0), default: 4,
            "Retries per request on timeouts, connection errors and 5xx.")
    }
}

extension ConfigKey where Value == [String] {
    public static var universeExtraSymbols: ConfigKey<[String]> {
        ConfigKey("universe.extra_symbols", .list, default: [], "Binance pairs always tracked, e.g. [BTCUSDT, ETHUSDT].")
    }
    public static var universeExchanges: ConfigKey<[String]> {
        ConfigKey(
            "universe.exchanges", .listOf(ExchangeID.allCases.map(\.rawValue)), default: ["binance"],
            "Exchanges incremental fetches candles from: binance, kraken, kucoin, poloniex.")
    }
    public static var dataIntervals: ConfigKey<[String]> {
        ConfigKey(
            "data.intervals", .listOf(["1m"] + KlineWarehouse.resampledIntervals.map(\.rawValue)), default: ["1m"],
            "1m is stored; the others (3m … 1d) are resampled from it into their own tables by the pipeline.")
    }
}

extension ConfigKey where Value == Bool {
    public static var dataForwardFill: ConfigKey<Bool> {
        ConfigKey(
            "data.forward_fill", .boolean, default: false,
            "Fill missing minutes with zero-volume candles (flagged as filled).")
    }
}
