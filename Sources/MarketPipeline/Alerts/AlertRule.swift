import Foundation

/// A market alert: a condition on a symbol's candles, indicators or predictions. It fires once
/// per crossing: when the condition turns true while armed; it re-arms only after the condition
/// has been false (hysteresis), so a price that stays outside its bands fires once, not every minute.
///
/// ```swift
/// let rules = [
///     AlertRule(name: "btc-jump", symbols: ["BTCUSDT"], condition: .priceMove(percent: 2, minutes: 15)),
///     AlertRule(name: "oversold", condition: .rsiBelow(30)),
/// ]
/// ```
public struct AlertRule: Sendable, Hashable {
    /// Unique among the rules; part of each firing's identity.
    public var name: String
    /// The symbols it watches; nil for every symbol.
    public var symbols: Set<String>?
    public var condition: AlertCondition

    public init(name: String, symbols: Set<String>? = nil, condition: AlertCondition) {
        self.name = name; self.symbols = symbols; self.condition = condition
    }

    /// Whether the rule watches `symbol`.
    public func watches(_ symbol: String) -> Bool { symbols?.contains(symbol) ?? true }
}

/// What an alert watches.
public enum AlertCondition: Sendable, Hashable {
    /// The close moved at least `percent` % (up or down) from the close `minutes` earlier.
    case priceMove(percent: Double, minutes: Int)
    /// RSI above `level` (fires when it crosses above).
    case rsiAbove(Double)
    /// RSI below `level` (fires when it crosses below).
    case rsiBelow(Double)
    /// MACD crossed its signal line, either way (each crossing fires).
    case macdCrossesSignal
    /// The close is above the upper or below the lower Bollinger band.
    case outsideBollinger
    /// Volume at least `multiple` × its mean over the `window` bars before.
    case volumeSpike(multiple: Double, window: Int)
    /// The model's predicted return is at least `threshold` away from zero (0.01 = 1 %).
    case predictionBeyond(threshold: Double)
}

/// One bar as the alerts see it: the close and volume of a 1-minute candle, the indicators stored
/// for it (nil while warming up) and the prediction made at it, if any.
public struct AlertBar: Sendable, Hashable {
    /// Open time, epoch milliseconds.
    public var openTime: Int64
    public var close: Double
    public var volume: Double
    public var rsi: Double?
    public var macd: Double?
    public var macdSignal: Double?
    public var bollingerUpper: Double?
    public var bollingerLower: Double?
    public var prediction: Double?

    public init(
        openTime: Int64, close: Double, volume: Double = 0, rsi: Double? = nil, macd: Double? = nil, macdSignal: Double? = nil,
        bollingerUpper: Double? = nil, bollingerLower: Double? = nil, prediction: Double? = nil
    ) {
        self.openTime = openTime; self.close = close; self.volume = volume; self.rsi = rsi; self.macd = macd
        self.macdSignal = macdSignal; self.bollingerUpper = bollingerUpper; self.bollingerLower = bollingerLower
        self.prediction = prediction
    }
}

/// An alert that fired: the rule, the symbol, the candle that fired it and the value it saw.
/// `(rule, symbol, openTime)` is its identity: stored once, sent once, whatever re-runs.
public struct AlertFiring: Sendable, Hashable {
    public var rule: String
    public var symbol: String
    /// The firing candle's open time, epoch milliseconds.
    public var openTime: Int64
    public var close: Double
    /// The value the condition measured (the move in %, the RSI, MACD − signal, the volume
    /// multiple, the prediction; for the bands the close's distance outside them).
    public var value: Double
    /// A sentence for people.
    public var message: String

    public init(rule: String, symbol: String, openTime: Int64, close: Double, value: Double, message: String) {
        self.rule = rule; self.symbol = symbol; self.openTime = openTime; self.close = close; self.value = value; self.message = message
    }
}

/// Where a rule stands for one symbol between evaluations (kept with the alerts, so that an
/// evaluation of the next bars continues the hysteresis).
public struct AlertArmState: Sendable, Hashable, Codable {
    /// False after a firing, until the condition has been false.
    public var armed: Bool
    /// The last bar evaluated (ms); bars at or before it are not evaluated again.
    public var lastOpenTime: Int64?
    /// For crossings of MACD and its signal: the side MACD was on (+1 above, −1 below).
    public var side: Int?

    public init(armed: Bool = true, lastOpenTime: Int64? = nil, side: Int? = nil) {
        self.armed = armed; self.lastOpenTime = lastOpenTime; self.side = side
    }
}
