import Foundation
import MarketData

/// The figures of `updraft pnl`, `updraft backtest` and `/api/v2/market/pnl`: per symbol and in
/// total (the symbols' equity summed at each bar, each carried forward between its own bars).
public struct TradingReport: Sendable, Codable, Hashable {
    /// One symbol's, or the total's, figures.
    public struct Line: Sendable, Codable, Hashable {
        public var symbol: String
        public var bars: Int
        /// First and last bar (open time, µs); nil without bars.
        public var from: Int64?
        public var to: Int64?
        public var startingCash: Double
        public var equity: Double
        public var totalReturn: Double
        /// Of the per-bar returns, × √525,600.
        public var sharpe: Double
        public var maxDrawdown: Double
        public var feesPaid: Double
        public var fills: Int
        /// Buying at the first bar's open and holding to the last close, without costs (nil in total).
        public var buyAndHoldReturn: Double?
        /// Base units held at the end.
        public var position: Double
    }

    public var mode: String
    public var symbols: [Line]
    public var total: Line?

    /// The line of one symbol's result.
    public static func line(symbol: String, result: TradingResult, bars: Int) -> Line {
        Line(
            symbol: symbol, bars: bars, from: result.equity.first.map { $0.openTime * 1_000 },
            to: result.equity.last.map { $0.openTime * 1_000 }, startingCash: result.startingCash, equity: result.finalEquity,
            totalReturn: result.totalReturn, sharpe: result.sharpe, maxDrawdown: result.maxDrawdown, feesPaid: result.feesPaid,
            fills: result.fills.count, buyAndHoldReturn: result.buyAndHoldReturn, position: result.equity.last?.quantity ?? 0)
    }

    /// The report of `results` (symbol, result, bars), with their total.
    public static func make(mode: String, _ results: [(symbol: String, result: TradingResult)]) -> TradingReport {
        let lines = results.map { line(symbol: $0.symbol, result: $0.result, bars: $0.result.equity.count) }
        guard results.count > 1 else { return TradingReport(mode: mode, symbols: lines, total: nil) }
        let times = Set(results.flatMap { $0.result.equity.map(\.openTime) }).sorted()
        var summed: [EquityPoint] = []
        var cursors = results.map { _ in 0 }
        var last = results.map(\.result.startingCash)
        for time in times {
            for (index, entry) in results.enumerated() {
                let points = entry.result.equity
                while cursors[index] < points.count, points[cursors[index]].openTime <= time {
                    last[index] = points[cursors[index]].equity
                    cursors[index] += 1
                }
            }
            summed.append(EquityPoint(openTime: time, cash: 0, quantity: 0, equity: last.reduce(0, +)))
        }
        let start = results.reduce(0) { $0 + $1.result.startingCash }
        var total = PaperTrader.result(fills: results.flatMap(\.result.fills), equity: summed, startingCash: start, bars: [])
        total.buyAndHoldReturn = 0
        var totalLine = line(symbol: "TOTAL", result: total, bars: summed.count)
        totalLine.buyAndHoldReturn = nil
        totalLine.position = 0
        return TradingReport(mode: mode, symbols: lines, total: totalLine)
    }

    /// The ledger's report of `mode` (one symbol, or every symbol with a book).
    public static func ledger(mode: TradingMode, symbol: String?, stores: MarketStores) throws -> TradingReport {
        let symbols = try symbol.map { [$0] } ?? stores.ledger.symbols(mode: mode)
        var results: [(symbol: String, result: TradingResult)] = []
        for symbol in symbols {
            guard let book = try stores.ledger.book(mode: mode, symbol: symbol) else { continue }
            let equity = try stores.ledger.equity(mode: mode, symbol: symbol)
            let fills = try stores.ledger.fills(mode: mode, symbol: symbol).map {
                PaperFill(openTime: $0.time / 1_000, side: $0.side, quantity: $0.quantity, price: $0.price, fee: $0.fee, reason: $0.reason)
            }
            var bars: [TradingBar] = []
            if let first = equity.first, let last = equity.last {
                let opening = try stores.warehouse.candles(symbol: symbol, from: first.openTime, to: first.openTime + 1)
                bars = [
                    TradingBar(openTime: first.openTime / 1_000, open: opening.open.first ?? first.close, close: first.close),
                    TradingBar(openTime: last.openTime / 1_000, open: last.close, close: last.close),
                ]
            }
            let points = equity.map { EquityPoint(openTime: $0.openTime / 1_000, cash: $0.cash, quantity: $0.quantity, equity: $0.equity) }
            results.append((symbol, PaperTrader.result(fills: fills, equity: points, startingCash: book.startingCash, bars: bars)))
        }
        return make(mode: mode.rawValue, results)
    }
}

/// `updraft backtest`: the strategy over stored candles and predictions with the paper rule;
/// writes nothing.
public enum Backtest {
    /// One symbol's result over candles with open time in [from, to) (µs).
    public static func run(
        symbol: String, from: Int64, to: Int64, strategy: TradingStrategy, startingCash: Double, stores: MarketStores,
        horizonMinutes: Int
    ) throws -> TradingResult {
        let bars = try MarketBars.load(symbol: symbol, from: from, to: to, stores: stores, horizonMinutes: horizonMinutes).tradingBars
        return PaperTrader.run(strategy, bars: bars, startingCash: startingCash)
    }
}
