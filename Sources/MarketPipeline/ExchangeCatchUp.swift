import Foundation
import MarketData

/// Brings the tracked pairs up to the last closed minute on an exchange other than Binance: what
/// `incremental`'s `fetch_exchange.<name>` tasks run. Each pair resumes after its newest candle on
/// that exchange; a pair the exchange has no candle of yet starts ``newPairLookback`` before the
/// end (older history is a backfill's work). Pages are written as they arrive, each in its own
/// transaction, keyed by exchange, symbol and minute, so a retry or a re-run writes nothing twice.
///
/// ```swift
/// let outcome = try await ExchangeCatchUp.run(
///     client: clients.kucoin, warehouse: stores.warehouse, pairs: tracked, end: Date())
/// ```
public enum ExchangeCatchUp {
    /// How far back a pair new to the exchange starts: one day of 1-minute candles.
    public static let newPairLookback: TimeInterval = 86_400

    /// What one exchange's catch-up did.
    public struct Outcome: Sendable, Codable, Equatable {
        /// Candles written (new or replaced).
        public var written: Int
        /// Pairs fetched.
        public var fetched: [String]
        /// Tracked pairs the exchange does not list (or does not trade).
        public var unlisted: [String]
    }

    /// Fetches closed 1-minute candles of `pairs` from `client` into `warehouse` up to `end`.
    public static func run(
        client: any ExchangeClient, warehouse: KlineWarehouse, pairs: [CanonicalPair], end: Date
    ) async throws -> Outcome {
        let listed = Dictionary(
            try await client.symbols().filter(\.isTrading).map { ($0.pair, $0.native) }, uniquingKeysWith: { first, _ in first })
        var outcome = Outcome(written: 0, fetched: [], unlisted: [])
        let exchange = client.exchange
        for pair in pairs {
            try Task.checkCancellation()
            guard let native = listed[pair] else {
                outcome.unlisted.append(pair.description)
                continue
            }
            let symbol = pair.binanceSymbol
            let last = try PipelineQueries.lastCandleOpenTime(of: symbol, exchange: exchange, in: warehouse)
            let start = last.map { Date(micros: $0 + 60_000_000) } ?? end.addingTimeInterval(-newPairLookback)
            guard start < end else {
                outcome.fetched.append(pair.description)
                continue
            }
            let written = WrittenCount()
            try await client.candles(symbol: native, interval: .oneMinute, start: start, end: end) { page in
                await written.add(try warehouse.insert(page, exchange: exchange, symbol: symbol, interval: .oneMinute))
            }
            outcome.written += await written.value
            outcome.fetched.append(pair.description)
        }
        return outcome
    }
}

/// Rows written across pages.
private actor WrittenCount {
    var value = 0
    func add(_ rows: Int) { value += rows }
}
