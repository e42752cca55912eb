import Foundation
import GRDB
import MarketData

/// The questions the crypto DAGs ask the warehouse, in readable SQL: these are the rules for
/// what each DAG works on, kept here so the DAG files only orchestrate.
public enum PipelineQueries {
    /// Symbols `historical` backfills: tracked (``KlineWarehouse/trackedCondition``: a manual
    /// choice, else in the top N and not a stablecoin) and no candle within the last month.
    public static let symbolsToBackfillSQL = """
        SELECT s.binance_pair
        FROM symbol s
        WHERE s.binance_pair IS NOT NULL
          AND CASE s.manual WHEN 'track' THEN 1 WHEN 'untrack' THEN 0 ELSE s.in_top = 1 AND s.is_stablecoin = 0 END
          AND NOT EXISTS (SELECT 1 FROM tickerdata_1m k
                          WHERE k.exchange = 'binance' AND k.symbol = s.binance_pair AND k.open_time >= :since)
        ORDER BY COALESCE(s.rank, 1000000), s.binance_pair
        """

    /// Tracked symbols that `historical` has completed, with where each one stands.
    public static let trackedSymbolsSQL = """
        SELECT binance_pair, last_updated_at
        FROM symbol
        WHERE \(KlineWarehouse.trackedCondition) AND last_updated_at IS NOT NULL
        ORDER BY COALESCE(rank, 1000000), binance_pair
        """

    /// Tracked coins (a pair, not a stablecoin) with their ticker, best rank first: what the
    /// exchanges other than Binance are asked for, by canonical pair.
    public static let trackedCoinsSQL = """
        SELECT ticker, binance_pair
        FROM symbol
        WHERE \(KlineWarehouse.trackedCondition)
        ORDER BY COALESCE(rank, 1000000), binance_pair
        """

    /// The tracked pairs in canonical naming (`BTC/USDT`): the ticker is the base, the rest of
    /// the pair the quote.
    public static func trackedCanonicalPairs(in warehouse: KlineWarehouse) throws -> [CanonicalPair] {
        try warehouse.read { db in
            try Row.fetchAll(db, sql: trackedCoinsSQL).compactMap { row -> CanonicalPair? in
                let ticker = (row[0] as String).uppercased(), pair: String = row[1]
                guard pair.hasPrefix(ticker), pair.count > ticker.count else { return nil }
                return CanonicalPair(base: ticker, quote: String(pair.dropFirst(ticker.count)))
            }
        }
    }

    /// The pairs to backfill as of `since` (one month before the run's logical date).
    public static func symbolsToBackfill(in warehouse: KlineWarehouse, since: Date) throws -> [String] {
        try warehouse.read { db in
            try String.fetchAll(db, sql: symbolsToBackfillSQL, arguments: ["since": since.micros])
        }
    }

    /// The tracked, completed pairs, best rank first.
    public static func trackedPairs(in warehouse: KlineWarehouse) throws -> [String] {
        try trackedSymbols(in: warehouse).map(\.pair)
    }

    /// The tracked, completed pairs with their `last_updated_at`.
    public static func trackedSymbols(in warehouse: KlineWarehouse) throws -> [(pair: String, lastUpdated: Date)] {
        try warehouse.read { db in
            try Row.fetchAll(db, sql: trackedSymbolsSQL).map { (pair: $0[0], lastUpdated: Date(micros: $0[1])) }
        }
    }

    /// The open time (µs) of `pair`'s last 1-minute candle on `exchange` (Binance unless named), if any.
    public static func lastCandleOpenTime(
        of pair: String, exchange: ExchangeID = .binance, in warehouse: KlineWarehouse
    ) throws -> Int64? {
        try warehouse.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT MAX(open_time) FROM tickerdata_1m WHERE exchange = ? AND symbol = ?",
                arguments: [exchange.rawValue, pair])
        }
    }
}
