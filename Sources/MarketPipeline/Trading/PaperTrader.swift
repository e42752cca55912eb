import Foundation

/// What a strategy did over bars: its fills, its equity at every close, and the figures of
/// `updraft pnl`.
public struct TradingResult: Sendable, Hashable {
    public var fills: [PaperFill]
    public var equity: [EquityPoint]
    public var startingCash: Double
    /// Equity at the last close.
    public var finalEquity: Double { equity.last?.equity ?? startingCash }
    /// `finalEquity / startingCash − 1`.
    public var totalReturn: Double { finalEquity / startingCash - 1 }
    public var feesPaid: Double { fills.reduce(0) { $0 + $1.fee } }
    /// Sharpe ratio of the per-bar returns, annualised for 1-minute bars (× √525,600); 0 when flat.
    public var sharpe: Double
    /// The largest fall from a peak of equity, as a fraction of that peak.
    public var maxDrawdown: Double
    /// Buying at the first bar's open and holding to the last close, without costs.
    public var buyAndHoldReturn: Double
}

/// Runs a ``TradingStrategy`` over one symbol's bars with the paper rule: the signal at a bar's
/// close, the fill at the next bar's open with slippage and the fee. Pure: the same bars give the
/// same fills, in the backtest and in paper trading.
public enum PaperTrader {
    /// Minutes in a year, for annualising per-minute Sharpe ratios.
    public static let minutesPerYear = 525_600.0

    public static func run(_ strategy: TradingStrategy, bars: [TradingBar], startingCash: Double) -> TradingResult {
        var cash = startingCash
        var quantity = 0.0
        var entryPrice = 0.0
        var fills: [PaperFill] = []
        var equity: [EquityPoint] = []
        var pending: (side: PaperFill.Side, reason: PaperFill.Reason)?
        var day: Int64 = -1
        var dayStartEquity = startingCash
        var haltedDay: Int64 = -1
        for bar in bars {
            // 1. Fill what the previous close decided, at this open.
            if let order = pending {
                pending = nil
                switch order.side {
                case .buy where quantity == 0:
                    let price = bar.open * (1 + strategy.slippage)
                    var notional = strategy.fractionOfEquity * cash
                    if let cap = strategy.maxPosition { notional = min(notional, cap) }
                    notional = min(notional, cash / (1 + strategy.feeRate))
                    if notional > 0, price > 0 {
                        let fee = notional * strategy.feeRate
                        quantity = notional / price
                        cash -= notional + fee
                        entryPrice = price
                        fills.append(
                            PaperFill(openTime: bar.openTime, side: .buy, quantity: quantity, price: price, fee: fee, reason: order.reason))
                    }
                case .sell where quantity > 0:
                    let price = bar.open * (1 - strategy.slippage)
                    let proceeds = quantity * price
                    let fee = proceeds * strategy.feeRate
                    cash += proceeds - fee
                    fills.append(
                        PaperFill(openTime: bar.openTime, side: .sell, quantity: quantity, price: price, fee: fee, reason: order.reason))
                    quantity = 0
                default: break
                }
            }
            // 2. Value at the close; a new UTC day starts its own loss budget.
            let value = cash + quantity * bar.close
            let barDay = bar.openTime / 86_400_000
            if barDay != day {
                day = barDay
                dayStartEquity = equity.last?.equity ?? startingCash
            }
            equity.append(EquityPoint(openTime: bar.openTime, cash: cash, quantity: quantity, equity: value))
            // 3. Decide at the close: risk limits first, then the signal.
            if let limit = strategy.dailyLossLimit, haltedDay != day, value < dayStartEquity * (1 - limit) {
                haltedDay = day
                if quantity > 0 { pending = (.sell, .dailyLossLimit) }
                continue
            }
            if haltedDay == day { continue }
            if quantity > 0 {
                if let stop = strategy.stopLoss, bar.close <= entryPrice * (1 - stop) {
                    pending = (.sell, .stopLoss)
                } else if let prediction = bar.prediction, prediction <= strategy.sellBelow {
                    pending = (.sell, .signal)
                }
            } else if let prediction = bar.prediction, prediction >= strategy.buyAbove,
                strategy.rsiBelow.map({ limit in bar.rsi.map { $0 < limit } ?? false }) ?? true
            {
                pending = (.buy, .signal)
            }
        }
        return TradingResult(
            fills: fills, equity: equity, startingCash: startingCash, sharpe: sharpe(equity.map(\.equity), start: startingCash),
            maxDrawdown: maxDrawdown(equity.map(\.equity), start: startingCash),
            buyAndHoldReturn: bars.first.flatMap { first in bars.last.map { $0.close / first.open - 1 } } ?? 0)
    }

    /// Mean over sample standard deviation of the per-bar returns, × √525,600.
    static func sharpe(_ equity: [Double], start: Double) -> Double {
        let series = [start] + equity
        let returns = zip(series, series.dropFirst()).map { $1 / $0 - 1 }
        guard returns.count > 1 else { return 0 }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
        guard variance > 0 else { return 0 }
        return mean / variance.squareRoot() * minutesPerYear.squareRoot()
    }

    static func maxDrawdown(_ equity: [Double], start: Double) -> Double {
        var peak = start
        var worst = 0.0
        for value in equity {
            peak = max(peak, value)
            worst = max(worst, (peak - value) / peak)
        }
        return worst
    }
}
