import Foundation

/// Every configuration key Updraft knows, with its default. The single source of truth for
/// parsing, `updraft config show`, the environment variable names and `docs/updraft.example.yaml`
/// (a test keeps that file in step with this list).
public enum ConfigCatalog {
    /// All keys, in the order `config show` prints them.
    public static let keys: [ConfigKey] = [
        ConfigKey("home", .string, default: .string("runs"),
                  "Home folder: state DB, market DB, logs, models. Relative to the working directory."),
        ConfigKey("home_permissions", .choice(["private", "group", "umask"]), default: .string("private"),
                  "What Updraft creates in the home: private (folders 0700, files 0600), group (0750, 0640), "
                      + "or umask (the process umask decides)."),
        ConfigKey("parallelism", .integer(minimum: 1),
                  default: .integer(ProcessInfo.processInfo.activeProcessorCount),
                  "Worker processes that run tasks (default: the core count)."),
        ConfigKey("state.durability", .choice(["normal", "full"]), default: .string("normal"),
                  "normal survives a process crash; full also survives power loss (fsync per commit)."),

        ConfigKey("endpoints.coingecko", .url, default: .string("https://api.coingecko.com/api/v3"),
                  "CoinGecko API base URL (pro plans: https://pro-api.coingecko.com/api/v3)."),
        ConfigKey("endpoints.binance", .url, default: .string("https://api.binance.com"),
                  "Binance spot REST base URL (market data also at https://data-api.binance.vision)."),
        ConfigKey("endpoints.archive", .url, default: .string("https://data.binance.vision"),
                  "Binance public data archive base URL (monthly and daily kline zips)."),
        ConfigKey("endpoints.archive_listing", .url,
                  default: .string("https://s3-ap-northeast-1.amazonaws.com/data.binance.vision"),
                  "S3 bucket that lists the archive's files (ListObjects v1)."),

        ConfigKey("coingecko.api_key", .string, default: .string(""),
                  "CoinGecko API key; empty for keyless access. Never printed or logged.", secret: true),
        ConfigKey("coingecko.api_key_kind", .choice(["demo", "pro"]), default: .string("demo"),
                  "Which header carries the key: x-cg-demo-api-key or x-cg-pro-api-key."),
        ConfigKey("coingecko.calls_per_minute", .integer(minimum: 1), default: .integer(10),
                  "CoinGecko request budget per minute (keyless: 5–15, demo key: 30)."),
        ConfigKey("binance.weight_per_minute", .integer(minimum: 1), default: .integer(6000),
                  "Binance request-weight budget per minute per IP."),

        ConfigKey("universe.coins", .integer(minimum: 1), default: .integer(20),
                  "How many top coins by market cap get_symbols tracks."),
        ConfigKey("universe.extra_symbols", .list, default: .list([]),
                  "Binance pairs always tracked, e.g. [BTCUSDT, ETHUSDT]."),
        ConfigKey("universe.quote_asset", .string, default: .string("USDT"),
                  "Quote asset of the Binance pairs coins map to."),

        ConfigKey("data.intervals", .list, default: .list(["1m"]),
                  "Kline intervals to download and keep."),
        ConfigKey("data.history_months", .integer(minimum: 1), default: .integer(12),
                  "How many months back historical backfills a new symbol."),
        ConfigKey("data.forward_fill", .boolean, default: .boolean(false),
                  "Fill missing minutes with zero-volume candles (flagged as filled)."),

        ConfigKey("schedules.get_symbols", .schedule, default: .string("@daily"),
                  "When get_symbols refreshes the coin list (UTC)."),
        ConfigKey("schedules.incremental", .schedule, default: .string("*/15 * * * *"),
                  "When incremental fetches new candles; indicators, training and scoring follow it."),

        ConfigKey("models.horizon_minutes", .integer(minimum: 1), default: .integer(60),
                  "Forecast horizon: the forward log return over this many minutes."),
        ConfigKey("models.training_days", .integer(minimum: 1), default: .integer(30),
                  "Days of 1-minute candles a model trains on."),
        ConfigKey("models.retrain_after_hours", .integer(minimum: 0), default: .integer(24),
                  "A symbol's best model older than this is retrained when training runs."),

        ConfigKey("http.retries", .integer(minimum: 0), default: .integer(4),
                  "Retries per request on timeouts, connection errors and 5xx."),
    ]

    /// The key at `path`, if any.
    public static func key(_ path: String) -> ConfigKey? { byPath[path] }

    static let byPath: [String: ConfigKey] = Dictionary(uniqueKeysWithValues: keys.map { ($0.path, $0) })
}
