import Foundation
import MarketData
import UpdraftConfig

/// Where orders go: simulated (`paper`), or signed to an exchange (`sandbox`, `live`).
public enum TradingMode: String, Sendable, Hashable, CaseIterable, Codable {
    case paper, sandbox, live
}

/// The `trading.*` keys read and checked: the mode, the strategy, the cash each pair starts
/// with, and for the exchange modes the endpoint and the signer.
///
/// ```swift
/// let settings = try TradingSettings(configuration)   // refuses live without live_confirm and keys
/// ```
public struct TradingSettings: Sendable {
    public var mode: TradingMode
    public var strategy: TradingStrategy
    /// USDT each pair's book starts with.
    public var startingCash: Double
    /// Pairs to trade; empty for every tracked pair.
    public var symbols: [String]
    /// The exchange's base URL (sandbox and live).
    public var endpoint: String
    /// Signs orders (sandbox and live); nil in paper mode.
    public var signer: BinanceSigner?

    /// The settings of `configuration`. Live mode without `trading.live_confirm: true`, or an
    /// exchange mode without keys, is refused with an error naming the key; secrets never appear.
    public init(_ configuration: UpdraftConfiguration) throws(TradingSettingsError) {
        guard let mode = TradingMode(rawValue: configuration[.tradingMode]) else {
            throw TradingSettingsError(key: ConfigKey<String>.tradingMode.path, message: "must be paper, sandbox or live")
        }
        self.mode = mode
        strategy = try Self.strategy(configuration)
        startingCash = configuration[.tradingStartingCash]
        symbols = configuration[.tradingSymbols]
        endpoint = configuration[.tradingEndpoint].absoluteString
        if mode == .live, !configuration[.tradingLiveConfirm] {
            throw TradingSettingsError(
                key: ConfigKey<Bool>.tradingLiveConfirm.path,
                message: "must be true for trading.mode live: live mode places real orders with real money")
        }
        if mode == .paper { signer = nil; return }
        let key = configuration[.tradingAPIKey], secret = configuration[.tradingAPISecret]
        guard !key.isEmpty else {
            throw TradingSettingsError(
                key: ConfigKey<Secret>.tradingAPIKey.path, message: "is empty; trading.mode \(mode) signs orders with it")
        }
        guard !secret.isEmpty else {
            throw TradingSettingsError(
                key: ConfigKey<Secret>.tradingAPISecret.path, message: "is empty; trading.mode \(mode) signs orders with it")
        }
        signer = BinanceSigner(apiKey: key.revealed, secretKey: secret.revealed)
    }

    /// The strategy of the `trading.*` keys (what `updraft backtest` runs, whatever the mode).
    public static func strategy(_ configuration: UpdraftConfiguration) throws(TradingSettingsError) -> TradingStrategy {
        let fraction = configuration[.tradingFraction]
        guard fraction <= 1 else {
            throw TradingSettingsError(key: ConfigKey<Double>.tradingFraction.path, message: "must be from 0 to 1, got \(fraction)")
        }
        let buyAbove = configuration[.tradingBuyAbove], sellBelow = configuration[.tradingSellBelow]
        guard sellBelow < buyAbove else {
            throw TradingSettingsError(
                key: ConfigKey<Double>.tradingSellBelow.path, message: "must be below trading.buy_above (\(buyAbove)), got \(sellBelow)")
        }
        func optional(_ value: Double) -> Double? { value > 0 ? value : nil }
        return TradingStrategy(
            buyAbove: buyAbove, sellBelow: sellBelow, rsiBelow: optional(configuration[.tradingRSIBelow]),
            fractionOfEquity: fraction, maxPosition: optional(configuration[.tradingMaxPosition]),
            stopLoss: optional(configuration[.tradingStopLoss]), dailyLossLimit: optional(configuration[.tradingDailyLossLimit]),
            feeRate: configuration[.tradingFeeRate], slippage: configuration[.tradingSlippage])
    }

    /// The warning live mode gives at every start (logged by the DAG).
    public var liveWarning: String? {
        mode == .live ? "trading.mode is live: orders go to \(endpoint) with real money" : nil
    }
}

/// A `trading.*` setting that cannot be used, naming the key.
public struct TradingSettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var key: String
    public var message: String
    public var description: String { "\(key) \(message)" }
}
