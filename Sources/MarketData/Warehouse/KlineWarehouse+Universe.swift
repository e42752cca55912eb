import Foundation
import GRDB

extension KlineWarehouse {
    /// The SQL condition under which a `symbol` row is fetched by the DAGs: a manual choice wins;
    /// without one, the coin must be in the latest top N and not a stablecoin.
    public static let trackedCondition = """
        binance_pair IS NOT NULL
        AND CASE manual WHEN 'track' THEN 1 WHEN 'untrack' THEN 0 ELSE in_top = 1 AND is_stablecoin = 0 END
        """

    /// Every pair of the universe, tracked first, then by rank and pair.
    public func universe() throws -> [UniverseEntry] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, ticker, name, rank, is_stablecoin, origin, in_top, untracked_at, manual, manual_at,
                           (\(Self.trackedCondition)) AS tracked, binance_pair
                    FROM symbol WHERE binance_pair IS NOT NULL
                    ORDER BY tracked DESC, rank IS NULL, rank, binance_pair
                    """
            ).compactMap { row -> UniverseEntry? in
                let ticker = (row["ticker"] as String).uppercased(), symbol: String = row["binance_pair"]
                guard symbol.hasPrefix(ticker), symbol.count > ticker.count else { return nil }
                return UniverseEntry(
                    id: row["id"], pair: CanonicalPair(base: ticker, quote: String(symbol.dropFirst(ticker.count))),
                    name: row["name"], rank: row["rank"], isStablecoin: row["is_stablecoin"],
                    origin: UniverseEntry.Origin(rawValue: row["origin"]) ?? .coingecko, inTop: row["in_top"],
                    untrackedAt: (row["untracked_at"] as Int64?).map(Date.init(microsecondsSinceEpoch:)),
                    manual: (row["manual"] as String?).flatMap(UniverseEntry.Manual.init(rawValue:)),
                    manualAt: (row["manual_at"] as Int64?).map(Date.init(microsecondsSinceEpoch:)), isTracked: row["tracked"])
            }
        }
    }

    /// The entry of `pair`, if the universe holds it.
    public func universeEntry(_ pair: CanonicalPair) throws -> UniverseEntry? {
        try universe().first { $0.pair == pair }
    }

    /// Records which coins are in the latest top N (`ids`, from `get_symbols`): a coin of the
    /// list that is no longer in it is marked out with the date (its candles stay; the DAGs stop
    /// fetching it unless tracked by hand); one that is back is marked in again. Pairs added by
    /// hand are not touched. Returns the ids that left and those that came back.
    @discardableResult
    public func recordTopCoins(_ ids: Set<String>, at date: Date) throws -> (left: [String], returned: [String]) {
        try writer.write { db in
            let listed = try String.fetchAll(db, sql: "SELECT id FROM symbol WHERE origin = 'coingecko' AND in_top = 1")
            let out = try String.fetchAll(db, sql: "SELECT id FROM symbol WHERE origin = 'coingecko' AND in_top = 0")
            let left = listed.filter { !ids.contains($0) }.sorted()
            let returned = out.filter { ids.contains($0) }.sorted()
            for id in left {
                try db.execute(
                    sql: "UPDATE symbol SET in_top = 0, untracked_at = ? WHERE id = ?", arguments: [date.microsecondsSinceEpoch, id])
            }
            for id in returned {
                try db.execute(sql: "UPDATE symbol SET in_top = 1, untracked_at = NULL WHERE id = ?", arguments: [id])
            }
            return (left, returned)
        }
    }

    /// Adds `pair` by hand (tracked by hand; `remove` takes it out again). Throws when the
    /// universe already holds it.
    @discardableResult
    public func addPair(_ pair: CanonicalPair, at date: Date) throws -> UniverseEntry {
        try writer.write { db in
            if let id = try String.fetchOne(db, sql: "SELECT id FROM symbol WHERE binance_pair = ?", arguments: [pair.binanceSymbol]) {
                throw UniverseError(
                    pair: pair.description, kind: .conflict, message: "already in the universe (as \(id)); use track to fetch it")
            }
            try db.execute(
                sql: """
                    INSERT INTO symbol (id, ticker, name, rank, market_cap, binance_pair, is_stablecoin, first_seen_at,
                                        in_top, origin, manual, manual_at)
                    VALUES (?, ?, ?, NULL, NULL, ?, 0, ?, 1, 'manual', 'track', ?)
                    """,
                arguments: [
                    "pair:\(pair.binanceSymbol)", pair.base.lowercased(), pair.base, pair.binanceSymbol, date.microsecondsSinceEpoch,
                    date.microsecondsSinceEpoch,
                ])
        }
        return try universeEntry(pair)!
    }

    /// Removes a pair added by hand; its candles stay. Throws when the universe does not hold it
    /// or it came from CoinGecko's list (untrack it instead).
    public func removePair(_ pair: CanonicalPair) throws {
        try writer.write { db in
            guard
                let origin = try String.fetchOne(
                    db, sql: "SELECT origin FROM symbol WHERE binance_pair = ?", arguments: [pair.binanceSymbol])
            else { throw UniverseError(pair: pair.description, kind: .notInUniverse, message: "not in the universe") }
            guard origin == UniverseEntry.Origin.manual.rawValue else {
                throw UniverseError(
                    pair: pair.description, kind: .conflict,
                    message: "comes from CoinGecko's top N and returns with it; use untrack to stop fetching it")
            }
            try db.execute(sql: "DELETE FROM symbol WHERE binance_pair = ?", arguments: [pair.binanceSymbol])
        }
    }

    /// Sets (or with nil clears) the manual choice for `pair`; it beats the automatic rule until cleared.
    @discardableResult
    public func setManual(_ choice: UniverseEntry.Manual?, for pair: CanonicalPair, at date: Date) throws -> UniverseEntry {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE symbol SET manual = ?, manual_at = ? WHERE binance_pair = ?",
                arguments: [choice?.rawValue, choice == nil ? nil : date.microsecondsSinceEpoch, pair.binanceSymbol])
            if db.changesCount == 0 {
                throw UniverseError(pair: pair.description, kind: .notInUniverse, message: "not in the universe; add it first")
            }
        }
        return try universeEntry(pair)!
    }
}
