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
        var book = PaperBook(startingCash: startingCash)
        var fills: [PaperFill] = []
        var equity: [EquityPoint] = []
        for bar in bars {
            if let fill = book.open(bar, strategy) { fills.append(fill) }
            equity.append(book.close(bar, strategy))
        }
        return result(fills: fills, equity: equity, startingCash: startingCash, bars: bars)
    }

    /// The figures of `fills` and `equity` (a backtest's, or a ledger's): Sharpe, drawdown, and
    /// buy and hold over `bars` (first open to last close).
    public static func result(fills: [PaperFill], equity: [EquityPoint], startingCash: Double, bars: [TradingBar]) -> TradingResult {
        TradingResult(
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
