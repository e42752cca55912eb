import Foundation
import MarketData

/// `historical` for an exchange other than Binance (which has its archive): each month of the
/// window is read from the exchange's REST history within its paging and rate limits and written
/// as it arrives (keyed by exchange, symbol and minute, so a re-run writes nothing twice). A month
/// that fails is recorded `failed` with its error and the others go on; the partitions are then
/// recomputed. Throws at the end when a month failed, so the run shows it.
///
/// ```swift
/// try await ExchangeHistory.run(client: clients.kucoin, warehouse: warehouse, symbols: ["BTCUSDT"], months: ["2024-01"], now: Date())
/// ```
public enum ExchangeHistory {
    /// What one exchange's history load did.
    public struct Outcome: Sendable, Equatable {
        public var written = 0
        public var unlisted: [String] = []
        public var failed: [String] = []
    }

    public static func run(
        client: any ExchangeClient, warehouse: KlineWarehouse, symbols: [String], months: [String], now: Date
    ) async throws -> Outcome {
        let exchange = client.exchange
        let listed = Dictionary(
            try await client.symbols().filter(\.isTrading).map { ($0.pair.binanceSymbol, $0.native) },
            uniquingKeysWith: { first, _ in first })
        var outcome = Outcome()
        for symbol in symbols {
            guard let native = listed[symbol] else {
                outcome.unlisted.append(symbol)
                continue
            }
            for month in months {
                guard let (start, end) = PartitionState.bounds(ofMonth: month) else { continue }
                let until = min(end, now.micros)
                guard start < until else { continue }
                let written = Counter()
                do {
                    try await client.candles(symbol: native, interval: .oneMinute, start: Date(micros: start), end: Date(micros: until)) {
                        page in
                        await written.add(
                            try warehouse.insert(page, exchange: exchange, symbol: symbol, interval: .oneMinute, source: "history"))
                    }
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    try warehouse.recordPartitionFailure(
                        exchange: exchange, symbol: symbol, month: month, error: "\(error)", at: Date())
                    outcome.failed.append("\(symbol) \(month)")
                }
                outcome.written += await written.value
            }
            try warehouse.refreshPartitions(exchange: exchange, symbol: symbol, months: months, now: now)
        }
        if !outcome.failed.isEmpty {
            throw ExchangeHistoryError(exchange: exchange, failed: outcome.failed)
        }
        return outcome
    }
}

/// Months an exchange's history load could not complete.
public struct ExchangeHistoryError: Error, Sendable, CustomStringConvertible {
    public var exchange: ExchangeID
    public var failed: [String]
    public var description: String {
        "\(exchange.displayName): \(failed.count) month(s) failed (see data partitions): \(failed.joined(separator: ", "))"
    }
}

private actor Counter {
    var value = 0
    func add(_ rows: Int) { value += rows }
}
