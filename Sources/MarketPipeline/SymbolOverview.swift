import Foundation
import GRDB
import MarketData

/// One Binance pair of the warehouse as the market API lists it: its coin (if the CoinGecko
/// list maps one to it), its rank in the latest list the pipeline stored, whether the DAGs
/// track it, and its 1-minute candles.
public struct SymbolOverview: Sendable, Equatable {
    /// Whether the DAGs keep a pair up to date, by the rules of ``PipelineQueries``.
    public enum Tracking: String, Sendable, CaseIterable {
        /// A coin's pair, not a stablecoin, history complete: `incremental` keeps it current.
        case tracked
        /// A coin's pair, not a stablecoin, whose history `historical` has not completed yet.
        case backfilling
        /// A stablecoin's pair: the DAGs skip it.
        case stablecoin
        /// Candles with no coin mapped to the pair (e.g. imported by `data import`).
        case untracked
        /// A coin that left the top N: untracked since then (candles kept) until it returns.
        case leftTopN = "left_top_n"
        /// Untracked by hand (`updraft symbols untrack`), whatever the top N says.
        case untrackedByHand = "untracked_by_hand"
    }

    /// Binance pair, e.g. `BTCUSDT`.
    public var symbol: String
    /// CoinGecko id and name of the coin mapped to the pair, if any.
    public var coinId: String?
    public var name: String?
    /// Rank in the latest CoinGecko list stored (nil when the coin is not in it, or none was stored).
    public var rank: Int?
    public var tracking: Tracking
    /// When `historical`/`incremental` last brought its candles up to date (µs).
    public var lastUpdatedAt: Int64?
    /// 1-minute candles held, and the open times (µs) of the first and the last.
    public var rows: Int
    public var firstOpenTime: Int64?
    public var lastOpenTime: Int64?
}

extension SymbolOverview {
    /// Every pair with 1-minute candles or mapped from a coin, best rank first (unranked last),
    /// then by pair; a pair two coins map to is listed once, with the better-ranked coin.
    public static let allSQL = """
        WITH latest AS (SELECT MAX(observed_at) AS observed_at FROM symbol_rank_history),
        candles AS (
            SELECT symbol, COUNT(*) AS rows, MIN(open_time) AS first_open_time, MAX(open_time) AS last_open_time
            FROM tickerdata_1m WHERE exchange = 'binance' GROUP BY symbol),
        pairs AS (SELECT binance_pair AS symbol FROM symbol WHERE binance_pair IS NOT NULL UNION SELECT symbol FROM candles)
        SELECT p.symbol, s.id, s.name, h.rank, s.is_stablecoin, s.last_updated_at,
               COALESCE(c.rows, 0), c.first_open_time, c.last_open_time, s.manual, s.in_top
        FROM pairs p
        LEFT JOIN symbol s ON s.binance_pair = p.symbol
        LEFT JOIN symbol_rank_history h ON h.symbol_id = s.id AND h.observed_at = (SELECT observed_at FROM latest)
        LEFT JOIN candles c ON c.symbol = p.symbol
        ORDER BY h.rank IS NULL, h.rank, p.symbol, s.rank IS NULL, s.rank, s.id
        """

    /// Every pair of the warehouse (see ``allSQL``). Counting reads the whole 1-minute table.
    ///
    /// ```swift
    /// let pairs = try SymbolOverview.all(in: stores.warehouse)
    /// ```
    public static func all(in warehouse: KlineWarehouse) throws -> [SymbolOverview] {
        let rows = try warehouse.read { db in try Row.fetchAll(db, sql: allSQL) }
        var seen = Set<String>()
        return rows.compactMap { row -> SymbolOverview? in
            let symbol: String = row[0]
            guard seen.insert(symbol).inserted else { return nil }
            let coinId: String? = row[1]
            let stablecoin: Bool = row[4] ?? false
            let lastUpdated: Int64? = row[5]
            let manual: String? = row[9]
            let inTop: Bool = row[10] ?? true
            let tracking: Tracking
            if coinId == nil {
                tracking = .untracked
            } else if manual == "untrack" {
                tracking = .untrackedByHand
            } else if manual == nil && !inTop {
                tracking = .leftTopN
            } else if manual == nil && stablecoin {
                tracking = .stablecoin
            } else {
                tracking = lastUpdated == nil ? .backfilling : .tracked
            }
            return SymbolOverview(
                symbol: symbol, coinId: coinId, name: row[2], rank: row[3], tracking: tracking, lastUpdatedAt: lastUpdated,
                rows: row[6], firstOpenTime: row[7], lastOpenTime: row[8])
        }
    }

    /// Open time (µs) of `pair`'s newest 1-minute candle, nil when it has none.
    ///
    /// ```swift
    /// let last = try SymbolOverview.lastOpenTime(of: "BTCUSDT", in: stores.warehouse)
    /// ```
    public static func lastOpenTime(of pair: String, in warehouse: KlineWarehouse) throws -> Int64? {
        try warehouse.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT MAX(open_time) FROM tickerdata_1m WHERE exchange = 'binance' AND symbol = ?", arguments: [pair])
        }
    }

    /// Whether the warehouse knows `pair`: it has 1-minute candles or a coin maps to it.
    public static func exists(_ pair: String, in warehouse: KlineWarehouse) throws -> Bool {
        try warehouse.read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM tickerdata_1m WHERE exchange = 'binance' AND symbol = :pair)
                        OR EXISTS (SELECT 1 FROM symbol WHERE binance_pair = :pair)
                    """, arguments: ["pair": pair]) ?? false
        }
    }
}
