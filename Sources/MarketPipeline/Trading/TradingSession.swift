import Foundation
import GRDB
import MarketData

/// One symbol's trading step, as the `trading` DAG runs it: the bars closed since the book's last
/// bar (up to the newest prediction), through the strategy, into the ledger.
///
/// - `paper`: ``PaperBook`` over the bars, fills at the next open (the backtest's rule, so the two
///   agree bar for bar); an order decided at the last bar waits in the book for the next run.
/// - `sandbox`, `live`: the order the newest bar decides is sent at once as a signed market order
///   and booked at the exchange's price and commission. Catching up over several bars, only a
///   sell (a stop or the daily limit) decided at an earlier bar is still sent; an older buy is not.
///   Each order is written to the ledger before it is sent, under a `newClientOrderId` made from
///   symbol and bar, so a re-run never sends it again.
public struct TradingSession: Sendable {
    public let settings: TradingSettings
    public let stores: MarketStores
    /// The exchange (sandbox and live modes).
    public let exchange: BinanceTradingClient?
    public let horizonMinutes: Int

    public init(settings: TradingSettings, stores: MarketStores, exchange: BinanceTradingClient?, horizonMinutes: Int) {
        self.settings = settings; self.stores = stores; self.exchange = exchange; self.horizonMinutes = horizonMinutes
    }

    /// What a step did.
    public struct Outcome: Sendable, Codable, Hashable {
        public var symbol: String
        public var bars: Int
        public var fills: [TradingLedger.Fill]
        /// Orders the exchange refused, or that got no answer.
        public var refused: [TradingLedger.Order]
        public var equity: Double?
    }

    /// Trades `symbol` over the bars closed at `now`.
    public func run(symbol: String, now: Date) async throws -> Outcome {
        let mode = settings.mode, ledger = stores.ledger
        var book = try ledger.book(mode: mode, symbol: symbol)
        let from: Int64
        if let last = book?.lastOpenTime {
            from = (last + 60_000) * 1_000
        } else {
            guard let first = try firstPrediction(symbol: symbol) else { return Outcome(symbol: symbol, bars: 0, fills: [], refused: []) }
            from = first
            book = PaperBook(startingCash: settings.startingCash)
        }
        let closedBefore = now.micros - 60_000_000 + 1
        let predicted = try MarketBars.predictions(
            symbol: symbol, from: from, to: closedBefore, horizonMinutes: horizonMinutes, database: stores.database
        ).keys.max()
        guard var book, let predicted else { return Outcome(symbol: symbol, bars: 0, fills: [], refused: [], equity: book?.lastEquity) }
        let bars = try MarketBars.load(symbol: symbol, from: from, to: predicted + 1, stores: stores, horizonMinutes: horizonMinutes)
        let tradingBars = bars.tradingBars
        var orders: [TradingLedger.Order] = [], fills: [TradingLedger.Fill] = [], equity: [TradingLedger.Equity] = []
        var refused: [TradingLedger.Order] = []
        var failure: (any Error)?
        for (index, bar) in tradingBars.enumerated() {
            let decided = book.pending?.decidedAt ?? bar.openTime
            if mode == .paper, let fill = book.open(bar, settings.strategy) {
                let id = TradingLedger.clientOrderId(symbol: symbol, decidedAt: decided)
                orders.append(
                    .init(
                        mode: mode, symbol: symbol, decidedAt: decided * 1_000, clientOrderId: id, side: fill.side, reason: fill.reason,
                        status: "filled"))
                fills.append(
                    .init(
                        mode: mode, symbol: symbol, clientOrderId: id, time: fill.openTime * 1_000, side: fill.side,
                        quantity: fill.quantity,
                        price: fill.price, fee: fill.fee, reason: fill.reason))
            } else if mode != .paper, book.pending?.side == .buy {
                book.pending = nil  // a buy decided at a bar already past is not sent
            }
            let point = book.close(bar, settings.strategy)
            equity.append(
                .init(openTime: bar.openTime * 1_000, close: bar.close, cash: point.cash, quantity: point.quantity, equity: point.equity))
            if mode != .paper, index == tradingBars.count - 1, let order = book.pending {
                book.pending = nil
                do {
                    if let sent = try await send(order, symbol: symbol, book: &book) {
                        orders.append(sent.order)
                        if let fill = sent.fill { fills.append(fill) } else { refused.append(sent.order) }
                    }
                } catch let error as TradingSessionError {
                    if let order = error.order { orders.append(order); refused.append(order) }
                    guard error.commitBook else { throw error }
                    failure = error
                }
            }
        }
        try ledger.commit(mode: mode, symbol: symbol, book: book, orders: orders, fills: fills, equity: equity)
        if let failure { throw failure }
        return Outcome(symbol: symbol, bars: tradingBars.count, fills: fills, refused: refused, equity: book.lastEquity)
    }

    /// The first prediction time (µs) of `symbol`, where a new book starts.
    private func firstPrediction(symbol: String) throws -> Int64? {
        try stores.database.writer.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT MIN(time) FROM predictions WHERE symbol = ? AND horizon_minutes = ?", arguments: [symbol, horizonMinutes])
        }
    }
}

/// An order the exchange refused in a way that needs a person (keys, signature, clock), or that
/// got no answer; the message names the order, never a key or a signature.
public struct TradingSessionError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// The order as recorded (rejected or unknown).
    var order: TradingLedger.Order?
    /// Whether the bars before it are booked anyway (no answer: the order is not sent again).
    var commitBook: Bool
}
