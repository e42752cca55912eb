import Foundation

/// One symbol's trading account between bars: cash, position, the order decided at the last
/// close, and the day's loss budget. ``PaperTrader`` walks it over a backtest's bars; the
/// `trading` DAG stores it between runs (`trading_positions.state`), so paper trading in steps
/// fills exactly what one backtest over the same bars fills.
///
/// ```swift
/// var book = PaperBook(startingCash: 1_000)
/// for bar in bars { if let fill = book.open(bar, strategy) { … }; let point = book.close(bar, strategy) }
/// ```
public struct PaperBook: Sendable, Hashable, Codable {
    /// An order decided at a close, to fill at the next open.
    public struct Order: Sendable, Hashable, Codable {
        public var side: PaperFill.Side
        public var reason: PaperFill.Reason
        /// Open time (ms) of the bar whose close decided it.
        public var decidedAt: Int64
    }

    public var startingCash: Double
    public var cash: Double
    /// Base units held (0: flat; the strategy is long-only).
    public var quantity: Double = 0
    /// The price the position was bought at (for the stop loss).
    public var entryPrice: Double = 0
    /// Decided at the last close, filled at the next open.
    public var pending: Order?
    /// The UTC day (days since the epoch) of the last bar, its first equity, and the day halted.
    public var day: Int64 = -1
    public var dayStartEquity: Double
    public var haltedDay: Int64 = -1
    /// The last bar's open time (ms) and equity at its close.
    public var lastOpenTime: Int64?
    public var lastEquity: Double?

    public init(startingCash: Double) {
        self.startingCash = startingCash; cash = startingCash; dayStartEquity = startingCash
    }

    /// Takes the pending order; with the paper rule fills it at `bar`'s open with slippage and the
    /// fee (a buy sized by the strategy's fraction and cap, a sell of the whole position).
    public mutating func open(_ bar: TradingBar, _ strategy: TradingStrategy) -> PaperFill? {
        guard let order = pending else { return nil }
        pending = nil
        switch order.side {
        case .buy where quantity == 0:
            let price = bar.open * (1 + strategy.slippage)
            let notional = buyNotional(strategy)
            guard notional > 0, price > 0 else { return nil }
            let fill = PaperFill(
                openTime: bar.openTime, side: .buy, quantity: notional / price, price: price, fee: notional * strategy.feeRate,
                reason: order.reason)
            apply(fill)
            return fill
        case .sell where quantity > 0:
            let price = bar.open * (1 - strategy.slippage)
            let fill = PaperFill(
                openTime: bar.openTime, side: .sell, quantity: quantity, price: price, fee: quantity * price * strategy.feeRate,
                reason: order.reason)
            apply(fill)
            return fill
        default:
            return nil
        }
    }

    /// What a buy may spend now: the fraction of cash, capped by the maximum position and by
    /// what the cash covers with the fee.
    public func buyNotional(_ strategy: TradingStrategy) -> Double {
        var notional = strategy.fractionOfEquity * cash
        if let cap = strategy.maxPosition { notional = min(notional, cap) }
        return max(0, min(notional, cash / (1 + strategy.feeRate)))
    }

    /// Books a fill (the paper rule's, or an exchange's): a buy pays `quantity × price + fee`, a
    /// sell receives `quantity × price − fee`.
    public mutating func apply(_ fill: PaperFill) {
        switch fill.side {
        case .buy:
            cash -= fill.quantity * fill.price + fill.fee
            quantity += fill.quantity
            entryPrice = fill.price
        case .sell:
            cash += fill.quantity * fill.price - fill.fee
            quantity = max(0, quantity - fill.quantity)
            if quantity == 0 { entryPrice = 0 }
        }
    }

    /// Books an exchange's fill: `executed` base units for `quoteAmount`, the commission taken in
    /// the base (`baseFee`) or the quote (`quoteFee`), as Binance takes it from what was received.
    public mutating func applyExchangeFill(side: PaperFill.Side, executed: Double, quoteAmount: Double, baseFee: Double, quoteFee: Double) {
        switch side {
        case .buy:
            cash -= quoteAmount + quoteFee
            quantity = Self.exchangeUnits(quantity + executed - baseFee)
            entryPrice = executed > 0 ? quoteAmount / executed : entryPrice
        case .sell:
            cash += quoteAmount - quoteFee
            quantity = max(0, Self.exchangeUnits(quantity - executed - baseFee))
            if quantity == 0 { entryPrice = 0 }
        }
    }

    /// `value` on the exchange's grid of 8 decimals (what the account holds, without the
    /// binary fractions that subtracting decimals in doubles leaves).
    static func exchangeUnits(_ value: Double) -> Double { (value * 1e8).rounded() / 1e8 }

    /// Values the book at `bar`'s close, then decides the next order: risk limits first (the
    /// daily loss limit halts the UTC day and sells; the stop loss sells), then the signal.
    public mutating func close(_ bar: TradingBar, _ strategy: TradingStrategy) -> EquityPoint {
        let value = cash + quantity * bar.close
        let barDay = bar.openTime / 86_400_000
        if barDay != day {
            day = barDay
            dayStartEquity = lastEquity ?? startingCash
        }
        lastOpenTime = bar.openTime
        lastEquity = value
        let point = EquityPoint(openTime: bar.openTime, cash: cash, quantity: quantity, equity: value)
        if let limit = strategy.dailyLossLimit, haltedDay != day, value < dayStartEquity * (1 - limit) {
            haltedDay = day
            if quantity > 0 { pending = Order(side: .sell, reason: .dailyLossLimit, decidedAt: bar.openTime) }
            return point
        }
        if haltedDay == day { return point }
        if quantity > 0 {
            if let stop = strategy.stopLoss, bar.close <= entryPrice * (1 - stop) {
                pending = Order(side: .sell, reason: .stopLoss, decidedAt: bar.openTime)
            } else if let prediction = bar.prediction, prediction <= strategy.sellBelow {
                pending = Order(side: .sell, reason: .signal, decidedAt: bar.openTime)
            }
        } else if let prediction = bar.prediction, prediction >= strategy.buyAbove,
            strategy.rsiBelow.map({ limit in bar.rsi.map { $0 < limit } ?? false }) ?? true
        {
            pending = Order(side: .buy, reason: .signal, decidedAt: bar.openTime)
        }
        return point
    }
}
