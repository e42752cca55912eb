import Foundation

/// A long-only strategy on one symbol's predictions and indicators, with its sizing, risk limits
/// and costs. Signals are read at a bar's close and filled at the next bar's open (the paper rule;
/// the backtest uses the same, so the two agree bar for bar).
///
/// ```swift
/// let strategy = TradingStrategy(buyAbove: 0.002, sellBelow: -0.001, fractionOfEquity: 0.25,
///                                stopLoss: 0.02, dailyLossLimit: 0.05)
/// ```
public struct TradingStrategy: Sendable, Hashable {
    /// Buy when the predicted return is at least this (0.002 = 0.2 %).
    public var buyAbove: Double
    /// Sell a position when the predicted return is at most this.
    public var sellBelow: Double
    /// Buy only while RSI is below this (nil: no RSI filter).
    public var rsiBelow: Double?
    /// The share of equity a new position takes (0…1).
    public var fractionOfEquity: Double
    /// The most a position may be worth at entry, in the quote asset (nil: no cap).
    public var maxPosition: Double?
    /// Sell when the close falls this far below the entry price (0.02 = 2 %; nil: none).
    public var stopLoss: Double?
    /// Stop trading for the rest of the UTC day (position sold) once equity is this far below the
    /// day's first equity (0.05 = 5 %; nil: none).
    public var dailyLossLimit: Double?
    /// Fee per fill, a fraction of its value (Binance's taker 0.001).
    public var feeRate: Double
    /// Slippage per fill: buys pay `open × (1 + slippage)`, sells get `open × (1 − slippage)`.
    public var slippage: Double

    public init(
        buyAbove: Double, sellBelow: Double, rsiBelow: Double? = nil, fractionOfEquity: Double, maxPosition: Double? = nil,
        stopLoss: Double? = nil, dailyLossLimit: Double? = nil, feeRate: Double = 0.001, slippage: Double = 0.0005
    ) {
        self.buyAbove = buyAbove; self.sellBelow = sellBelow; self.rsiBelow = rsiBelow; self.fractionOfEquity = fractionOfEquity
        self.maxPosition = maxPosition; self.stopLoss = stopLoss; self.dailyLossLimit = dailyLossLimit; self.feeRate = feeRate
        self.slippage = slippage
    }
}

/// One bar the strategy sees: its open (where fills happen), its close (where signals are read and
/// equity is valued), the prediction made at its close and its RSI.
public struct TradingBar: Sendable, Hashable {
    /// Open time, epoch milliseconds.
    public var openTime: Int64
    public var open: Double
    public var close: Double
    public var prediction: Double?
    public var rsi: Double?

    public init(openTime: Int64, open: Double, close: Double, prediction: Double? = nil, rsi: Double? = nil) {
        self.openTime = openTime; self.open = open; self.close = close; self.prediction = prediction; self.rsi = rsi
    }
}

/// A simulated fill.
public struct PaperFill: Sendable, Hashable {
    public enum Side: String, Sendable, Hashable, Codable { case buy = "BUY", sell = "SELL" }
    public enum Reason: String, Sendable, Hashable, Codable {
        case signal, stopLoss = "stop_loss", dailyLossLimit = "daily_loss_limit"
    }

    /// The open time of the bar whose open filled it.
    public var openTime: Int64
    public var side: Side
    public var quantity: Double
    /// The price paid or received (the open with slippage).
    public var price: Double
    public var fee: Double
    public var reason: Reason

    public init(openTime: Int64, side: Side, quantity: Double, price: Double, fee: Double, reason: Reason) {
        self.openTime = openTime; self.side = side; self.quantity = quantity; self.price = price; self.fee = fee; self.reason = reason
    }
}

/// Cash, position and equity at a bar's close.
public struct EquityPoint: Sendable, Hashable {
    public var openTime: Int64
    public var cash: Double
    public var quantity: Double
    public var equity: Double

    public init(openTime: Int64, cash: Double, quantity: Double, equity: Double) {
        self.openTime = openTime; self.cash = cash; self.quantity = quantity; self.equity = equity
    }
}
