import Foundation
import MarketPipeline
import Testing

/// The paper rule and the backtest's figures, checked against arithmetic written out by hand.
@Suite struct PaperTraderTests {
    static let t0: Int64 = 1_765_000_000_000 / 86_400_000 * 86_400_000  // a UTC midnight

    static func bar(_ minute: Int, open: Double, close: Double, prediction: Double? = nil, rsi: Double? = nil) -> TradingBar {
        TradingBar(openTime: t0 + Int64(minute) * 60_000, open: open, close: close, prediction: prediction, rsi: rsi)
    }

    @Test func aRoundTripFillsAtTheNextOpensWithSlippageAndFees() throws {
        let strategy = TradingStrategy(buyAbove: 0.01, sellBelow: -0.01, fractionOfEquity: 0.5, feeRate: 0.001, slippage: 0.001)
        let bars = [
            Self.bar(0, open: 100, close: 100, prediction: 0.02),  // buy signal
            Self.bar(1, open: 100, close: 105, prediction: 0),  // bought at 100 × 1.001
            Self.bar(2, open: 106, close: 108, prediction: -0.02),  // sell signal
            Self.bar(3, open: 110, close: 111),  // sold at 110 × 0.999
        ]
        let result = PaperTrader.run(strategy, bars: bars, startingCash: 1_000)
        #expect(result.fills.map(\.side) == [.buy, .sell])
        #expect(result.fills.map(\.openTime) == [bars[1].openTime, bars[3].openTime])
        // By hand: 500 at 100.1 with a 0.5 fee; all of it sold at 109.89 less 0.1 %.
        let quantity = 500 / 100.1
        let proceeds = quantity * 109.89
        let cashAfter = 1_000 - 500 - 0.5 + proceeds - proceeds * 0.001
        #expect(abs(result.fills[0].quantity - quantity) < 1e-12 && abs(result.fills[0].price - 100.1) < 1e-12)
        #expect(abs(result.finalEquity - cashAfter) < 1e-9)
        #expect(abs(result.feesPaid - (0.5 + proceeds * 0.001)) < 1e-12)
        #expect(abs(result.equity[1].equity - (499.5 + quantity * 105)) < 1e-9)
        #expect(abs(result.buyAndHoldReturn - 0.11) < 1e-12)
        #expect(result.maxDrawdown == 0)
        #expect(abs(result.totalReturn - (cashAfter / 1_000 - 1)) < 1e-12)
    }

    @Test func aStopLossSellsAtTheNextOpen() {
        let strategy = TradingStrategy(buyAbove: 0.01, sellBelow: -1, fractionOfEquity: 1, stopLoss: 0.02, feeRate: 0, slippage: 0)
        let bars = [
            Self.bar(0, open: 100, close: 100, prediction: 0.05),
            Self.bar(1, open: 100, close: 99, prediction: 0.05),  // bought at 100; −1 %: held
            Self.bar(2, open: 99, close: 97.5, prediction: 0.05),  // −2.5 % ≤ −2 %: stop
            Self.bar(3, open: 97, close: 96, prediction: 0),  // sold at 97
        ]
        let result = PaperTrader.run(strategy, bars: bars, startingCash: 1_000)
        #expect(result.fills.map(\.reason) == [.signal, .stopLoss])
        #expect(abs(result.finalEquity - 970) < 1e-9)  // 10 units bought at 100, sold at 97
        // Peak 1,000, trough 970 at the last close: a 3 % drawdown.
        #expect(abs(result.maxDrawdown - 0.03) < 1e-12)
    }

    @Test func theDailyLossLimitHaltsTradingUntilTheNextUTCDay() {
        let strategy = TradingStrategy(
            buyAbove: 0.01, sellBelow: -1, fractionOfEquity: 1, dailyLossLimit: 0.05, feeRate: 0, slippage: 0)
        let day = 1_440
        let bars = [
            Self.bar(0, open: 100, close: 100, prediction: 0.05),
            Self.bar(1, open: 100, close: 94, prediction: 0.05),  // bought at 100; equity 940 < 950: halt
            Self.bar(2, open: 94, close: 95, prediction: 0.05),  // sold at 94; no buy today despite the signal
            Self.bar(3, open: 95, close: 96, prediction: 0.05),
            Self.bar(day, open: 96, close: 96, prediction: 0.05),  // a new day: buy again
            Self.bar(day + 1, open: 96, close: 97),
        ]
        let result = PaperTrader.run(strategy, bars: bars, startingCash: 1_000)
        #expect(result.fills.map(\.reason) == [.signal, .dailyLossLimit, .signal])
        #expect(result.fills.map(\.openTime) == [bars[1].openTime, bars[2].openTime, bars[5].openTime])
        #expect(abs(result.finalEquity - 940 / 96 * 97) < 1e-9)
    }

    @Test func theRSIFilterAndTheMaximumPositionHoldBackBuys() {
        let strategy = TradingStrategy(
            buyAbove: 0.01, sellBelow: -1, rsiBelow: 70, fractionOfEquity: 1, maxPosition: 200, feeRate: 0, slippage: 0)
        let bars = [
            Self.bar(0, open: 100, close: 100, prediction: 0.05, rsi: 75),  // overbought: no buy
            Self.bar(1, open: 100, close: 100, prediction: 0.05, rsi: 60),  // buy, capped at 200
            Self.bar(2, open: 100, close: 110),
        ]
        let result = PaperTrader.run(strategy, bars: bars, startingCash: 1_000)
        #expect(result.fills.count == 1 && result.fills[0].openTime == bars[2].openTime)
        #expect(abs(result.fills[0].quantity - 2) < 1e-12)
    }

    @Test func sharpeIsThePerMinuteMeanOverDeviationAnnualised() {
        let strategy = TradingStrategy(buyAbove: 0.01, sellBelow: -1, fractionOfEquity: 1, feeRate: 0, slippage: 0)
        let bars = [
            Self.bar(0, open: 100, close: 100, prediction: 0.05),
            Self.bar(1, open: 100, close: 102),
            Self.bar(2, open: 102, close: 101),
            Self.bar(3, open: 101, close: 104),
        ]
        let result = PaperTrader.run(strategy, bars: bars, startingCash: 1_000)
        // Equity 1000 (start), 1000, 1020, 1010, 1040: returns 0, 0.02, −1/102, 3/101.
        let returns = [0, 0.02, 1_010.0 / 1_020 - 1, 1_040.0 / 1_010 - 1]
        let mean = returns.reduce(0, +) / 4
        let deviation = (returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
        #expect(abs(result.sharpe - mean / deviation * 525_600.0.squareRoot()) < 1e-9)
    }
}

/// An exchange's fills booked into a ``PaperBook``: quantities stay on the exchange's grid of 8
/// decimals, so selling the position sells exactly what the account holds.
@Suite struct ExchangeFillBookingTests {
    @Test func aBuyLessItsCommissionIsTheBalanceTheExchangeHolds() {
        var book = PaperBook(startingCash: 1_000)
        // 0.00099009 BTC bought for 99.01 USDT, 0.00000099 BTC of it taken as the commission:
        // in doubles 0.00099009 − 0.00000099 is just below 0.0009891.
        #expect(((0.00099009 - 0.00000099) * 1e8).rounded(.down) == 98_909)
        book.applyExchangeFill(side: .buy, executed: 0.00099009, quoteAmount: 99.01, baseFee: 0.00000099, quoteFee: 0)
        #expect(book.quantity == 0.0009891 && abs(book.cash - 900.99) < 1e-9 && abs(book.entryPrice - 99.01 / 0.00099009) < 1e-6)
        book.applyExchangeFill(side: .sell, executed: 0.0009891, quoteAmount: 99, baseFee: 0, quoteFee: 0.099)
        #expect(book.quantity == 0 && book.entryPrice == 0 && abs(book.cash - (900.99 + 99 - 0.099)) < 1e-9)
    }
}
