import Foundation
import UpdraftConfig

/// The keys of market alerts (`alerts.*`) and trading (`trading.*`), part of ``MarketConfig/keys``.
extension MarketConfig {
    static var alertAndTradingKeys: [ConfigKeySpec] {
        [
            ConfigKey<[String]>.alertsRules.spec, ConfigKey<[String]>.alertsChannels.spec,
            ConfigKey<String>.tradingMode.spec, ConfigKey<Bool>.tradingLiveConfirm.spec,
            ConfigKey<Secret>.tradingAPIKey.spec, ConfigKey<Secret>.tradingAPISecret.spec,
            ConfigKey<URL>.tradingEndpoint.spec, ConfigKey<[String]>.tradingSymbols.spec,
            ConfigKey<Double>.tradingBuyAbove.spec, ConfigKey<Double>.tradingSellBelow.spec,
            ConfigKey<Double>.tradingRSIBelow.spec, ConfigKey<Double>.tradingFraction.spec,
            ConfigKey<Double>.tradingMaxPosition.spec, ConfigKey<Double>.tradingStopLoss.spec,
            ConfigKey<Double>.tradingDailyLossLimit.spec, ConfigKey<Double>.tradingFeeRate.spec,
            ConfigKey<Double>.tradingSlippage.spec, ConfigKey<Double>.tradingStartingCash.spec,
        ]
    }
}

extension ConfigKey where Value == [String] {
    public static var alertsRules: ConfigKey<[String]> {
        ConfigKey(
            "alerts.rules", .list, default: [],
            "Market alert rules, one per item, e.g. [\"rsi_above level=70 symbols=BTCUSDT\", \"price_move percent=2 minutes=15\"].")
    }
    public static var alertsChannels: ConfigKey<[String]> {
        ConfigKey("alerts.channels", .list, default: [], "Notification channels market alerts go to; empty for every channel.")
    }
    public static var tradingSymbols: ConfigKey<[String]> {
        ConfigKey("trading.symbols", .list, default: [], "Pairs the trading DAG trades; empty for every tracked pair.")
    }
}

extension ConfigKey where Value == String {
    public static var tradingMode: ConfigKey<String> {
        ConfigKey(
            "trading.mode", .choice(["paper", "sandbox", "live"]), default: "paper",
            "paper (simulated fills), sandbox (signed orders to trading.endpoint) or live (real money).")
    }
}

extension ConfigKey where Value == Bool {
    public static var tradingLiveConfirm: ConfigKey<Bool> {
        ConfigKey("trading.live_confirm", .boolean, default: false, "Must be true for trading.mode live to place real orders.")
    }
}

extension ConfigKey where Value == Secret {
    public static var tradingAPIKey: ConfigKey<Secret> {
        ConfigKey("trading.api_key", .secret, default: Secret(""), "Binance API key for sandbox and live trading. Never printed.")
    }
    public static var tradingAPISecret: ConfigKey<Secret> {
        ConfigKey("trading.api_secret", .secret, default: Secret(""), "Binance secret key that signs orders. Never printed.")
    }
}

extension ConfigKey where Value == URL {
    public static var tradingEndpoint: ConfigKey<URL> {
        ConfigKey(
            "trading.endpoint", .url, default: URL(string: "https://api.binance.com")!,
            "Binance spot base URL for signed orders (the sandbox's address in sandbox mode).")
    }
}

extension ConfigKey where Value == Double {
    public static var tradingBuyAbove: ConfigKey<Double> {
        ConfigKey("trading.buy_above", .number(minimum: -1), default: 0.002, "Buy when the predicted return is at least this.")
    }
    public static var tradingSellBelow: ConfigKey<Double> {
        ConfigKey("trading.sell_below", .number(minimum: -1), default: -0.001, "Sell when the predicted return is at most this.")
    }
    public static var tradingRSIBelow: ConfigKey<Double> {
        ConfigKey("trading.rsi_below", .number(minimum: 0), default: 0, "Buy only while RSI 14 is below this; 0 for no RSI filter.")
    }
    public static var tradingFraction: ConfigKey<Double> {
        ConfigKey("trading.fraction", .number(minimum: 0), default: 0.25, "Share of the cash a new position takes (0 to 1).")
    }
    public static var tradingMaxPosition: ConfigKey<Double> {
        ConfigKey("trading.max_position", .number(minimum: 0), default: 0, "Most a position may cost, in USDT; 0 for no cap.")
    }
    public static var tradingStopLoss: ConfigKey<Double> {
        ConfigKey("trading.stop_loss", .number(minimum: 0), default: 0.02, "Sell when the close is this far below the entry; 0 for none.")
    }
    public static var tradingDailyLossLimit: ConfigKey<Double> {
        ConfigKey(
            "trading.daily_loss_limit", .number(minimum: 0), default: 0.05,
            "Stop for the UTC day once equity is this far below the day's start; 0 for none.")
    }
    public static var tradingFeeRate: ConfigKey<Double> {
        ConfigKey("trading.fee_rate", .number(minimum: 0), default: 0.001, "Paper and backtest fee per fill (Binance's taker 0.001).")
    }
    public static var tradingSlippage: ConfigKey<Double> {
        ConfigKey("trading.slippage", .number(minimum: 0), default: 0.0005, "Paper and backtest slippage per fill, a fraction of the open.")
    }
    public static var tradingStartingCash: ConfigKey<Double> {
        ConfigKey("trading.starting_cash", .number(minimum: 0), default: 10_000, "USDT each traded pair's book starts with.")
    }
}
