import Foundation
import GRDB

extension KlineWarehouse {
    /// Inserts new coins and updates known ones (ticker, name, rank, market cap, pair,
    /// stablecoin flag), keeping their `first_seen_at` and `last_updated_at`, and records
    /// each coin's rank and market cap at `observedAt` in `symbol_rank_history`.
    public func upsertSymbols(_ symbols: [MarketSymbol], observedAt: Date) throws {
        let at = observedAt.microsecondsSinceEpoch
        try writer.write { db in
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO symbol (id, ticker, name, rank, market_cap, binance_pair, is_stablecoin, first_seen_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET ticker = excluded.ticker, name = excluded.name, rank = excluded.rank,
                        market_cap = excluded.market_cap, binance_pair = excluded.binance_pair,
                        is_stablecoin = excluded.is_stablecoin
                    """)
            let history = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO symbol_rank_history (symbol_id, observed_at, rank, market_cap) VALUES (?, ?, ?, ?)
                    """)
            for symbol in symbols {
                try upsert.execute(arguments: [
                    symbol.id, symbol.ticker, symbol.name, symbol.rank, symbol.marketCap,
                    symbol.binancePair, symbol.isStablecoin, at,
                ])
                try history.execute(arguments: [symbol.id, at, symbol.rank, symbol.marketCap])
            }
        }
    }

    /// All coins, by rank (unranked last), then id.
    public func symbols() throws -> [MarketSymbol] {
        try writer.read { db in try Self.fetchSymbols(db, where: "1", arguments: []) }
    }

    /// One coin by CoinGecko id.
    public func symbol(id: String) throws -> MarketSymbol? {
        try writer.read { db in try Self.fetchSymbols(db, where: "id = ?", arguments: [id]).first }
    }

    /// One coin by Binance pair, e.g. `BTCUSDT`.
    public func symbol(binancePair: String) throws -> MarketSymbol? {
        try writer.read { db in try Self.fetchSymbols(db, where: "binance_pair = ?", arguments: [binancePair]).first }
    }

    /// Sets when a coin's klines were last brought up to date. Throws when the id is unknown.
    public func setLastUpdated(_ date: Date, forSymbol id: String) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE symbol SET last_updated_at = ? WHERE id = ?",
                arguments: [date.microsecondsSinceEpoch, id])
            if db.changesCount == 0 { throw UnknownSymbolError(id: id) }
        }
    }

    /// When a coin's klines were last brought up to date (nil: never, or unknown id).
    public func lastUpdated(forSymbol id: String) throws -> Date? {
        try symbol(id: id)?.lastUpdatedAt
    }

    /// A coin's rank history, oldest first.
    public func rankHistory(forSymbol id: String) throws -> [(observedAt: Date, rank: Int?, marketCap: Double?)] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT observed_at, rank, market_cap FROM symbol_rank_history WHERE symbol_id = ? ORDER BY observed_at
                    """, arguments: [id]
            ).map { (Date(microsecondsSinceEpoch: $0[0]), $0[1], $0[2]) }
        }
    }

    static func fetchSymbols(_ db: Database, where condition: String, arguments: StatementArguments) throws -> [MarketSymbol] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, ticker, name, rank, market_cap, binance_pair, is_stablecoin, first_seen_at, last_updated_at
                FROM symbol WHERE \(condition) ORDER BY rank IS NULL, rank, id
                """, arguments: arguments
        ).map { row in
            MarketSymbol(
                id: row[0], ticker: row[1], name: row[2], rank: row[3], marketCap: row[4], binancePair: row[5],
                isStablecoin: row[6], firstSeenAt: (row[7] as Int64?).map(Date.init(microsecondsSinceEpoch:)),
                lastUpdatedAt: (row[8] as Int64?).map(Date.init(microsecondsSinceEpoch:)))
        }
    }
}
