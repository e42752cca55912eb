import Foundation
import MarketData

extension TradingSession {
    /// Binance codes that mean the request itself is wrong (keys, signature, clock, parameters):
    /// a person must act, so the step fails and the bars are not booked.
    static let requestRefusals: Set<Int> = [-1021, -1022, -1102, -2014, -2015]

    /// Sends `order` to the exchange unless the ledger already has it, and books its fill.
    /// Returns nil when it was already sent (a re-run), or when there is nothing to send.
    func send(
        _ order: PaperBook.Order, symbol: String, book: inout PaperBook
    ) async throws -> (
        order: TradingLedger.Order, fill: TradingLedger.Fill?
    )? {
        guard let exchange else {
            throw TradingSessionError(description: "trading.mode \(settings.mode) has no exchange client", commitBook: false)
        }
        let mode = settings.mode
        let id = TradingLedger.clientOrderId(symbol: symbol, decidedAt: order.decidedAt)
        if let existing = try stores.ledger.order(mode: mode, clientOrderId: id), existing.status != "rejected" {
            return nil  // sent by an earlier try: never twice
        }
        var quantity: String?, quote: String?
        switch order.side {
        case .buy:
            let notional = (book.buyNotional(settings.strategy) * 100).rounded(.down) / 100
            guard notional >= 1 else { return nil }
            quote = String(format: "%.2f", notional)
        case .sell:
            let units = PaperBook.exchangeUnits(book.quantity)  // on the 8-decimal grid since its fills
            guard units > 0 else { return nil }
            quantity = String(format: "%.8f", units)
        }
        var record = TradingLedger.Order(
            mode: mode, symbol: symbol, decidedAt: order.decidedAt * 1_000, clientOrderId: id, side: order.side, reason: order.reason,
            status: "sending")
        try stores.ledger.save(record)
        let answer: BinanceOrderFill
        do {
            answer = try await exchange.marketOrder(
                symbol: symbol, side: order.side == .buy ? .buy : .sell, quantity: quantity, quoteQuantity: quote, clientOrderId: id)
        } catch {
            record.message = error.description
            if error.code == 0 {
                record.status = "unknown"
                throw TradingSessionError(
                    description: "order \(id) (\(order.side.rawValue) \(symbol)) got no answer from \(error.endpoint): \(error.message); "
                        + "check it on the exchange, it is not sent again", order: record, commitBook: true)
            }
            record.status = "rejected"
            if Self.requestRefusals.contains(error.code) {
                try stores.ledger.save(record)
                throw TradingSessionError(
                    description: "order \(id) (\(order.side.rawValue) \(symbol)) refused: \(error)", order: nil, commitBook: false)
            }
            return (record, nil)
        }
        let executed = Double(answer.executedQty) ?? 0
        let amount = Double(answer.cummulativeQuoteQty) ?? 0
        let price = executed > 0 ? amount / executed : 0
        var baseFee = 0.0, quoteFee = 0.0
        for fill in answer.fills {
            let commission = Double(fill.commission) ?? 0
            if symbol.hasSuffix(fill.commissionAsset) {
                quoteFee += commission
            } else if symbol.hasPrefix(fill.commissionAsset) {
                baseFee += commission
            }
        }
        book.applyExchangeFill(side: order.side, executed: executed, quoteAmount: amount, baseFee: baseFee, quoteFee: quoteFee)
        record.status = "filled"
        record.exchangeOrderId = answer.orderId
        let fill = TradingLedger.Fill(
            mode: mode, symbol: symbol, clientOrderId: id, time: answer.transactTime * 1_000, side: order.side, quantity: executed,
            price: price, fee: quoteFee + baseFee * price, reason: order.reason)
        return (record, fill)
    }
}
