import Foundation

/// One pair of the universe, the `symbol` table as `updraft symbols list` shows it: where it
/// came from, whether the automatic rule (CoinGecko's top N) keeps it, a manual choice that beats
/// the rule, and the result.
public struct UniverseEntry: Sendable, Hashable, Codable {
    /// How the pair entered the universe.
    public enum Origin: String, Sendable, Hashable, Codable {
        /// CoinGecko's top N (`get_symbols`), or `universe.extra_symbols`.
        case coingecko
        /// `updraft symbols add`.
        case manual
    }

    /// A choice made by hand (`symbols track|untrack`); it holds until `symbols auto` undoes it.
    public enum Manual: String, Sendable, Hashable, Codable {
        case track, untrack
    }

    /// The coin's id (CoinGecko's, `binance:<PAIR>` for an extra symbol, `pair:<PAIR>` for one added by hand).
    public var id: String
    /// The pair in canonical naming (`BTC/USDT`).
    public var pair: CanonicalPair
    /// Display name.
    public var name: String
    /// Market-cap rank in the latest list, when there is one.
    public var rank: Int?
    /// A stablecoin (the automatic rule does not track those).
    public var isStablecoin: Bool
    public var origin: Origin
    /// Whether the coin was in the latest top N (always true for a pair added by hand).
    public var inTop: Bool
    /// When it left the top N (nil while it is in it).
    public var untrackedAt: Date?
    /// The manual choice, if any, and when it was made.
    public var manual: Manual?
    public var manualAt: Date?
    /// Whether the DAGs fetch it: the manual choice, else in the top N and not a stablecoin.
    public var isTracked: Bool

    /// An entry from its fields.
    public init(
        id: String, pair: CanonicalPair, name: String, rank: Int?, isStablecoin: Bool, origin: Origin, inTop: Bool,
        untrackedAt: Date?, manual: Manual?, manualAt: Date?, isTracked: Bool
    ) {
        self.id = id
        self.pair = pair
        self.name = name
        self.rank = rank
        self.isStablecoin = isStablecoin
        self.origin = origin
        self.inTop = inTop
        self.untrackedAt = untrackedAt
        self.manual = manual
        self.manualAt = manualAt
        self.isTracked = isTracked
    }

    /// Why it is or is not tracked, in a few words (`top N`, `left the top N on 2026-11-02`,
    /// `untracked by hand`, `stablecoin`, `added by hand`).
    public var reason: String {
        switch manual {
        case .track: return origin == .manual ? "added by hand" : "tracked by hand"
        case .untrack: return "untracked by hand"
        case nil: break
        }
        if !inTop {
            return "left the top N"
                + (untrackedAt.map { " on " + UTCCalendar.iso8601(microseconds: $0.microsecondsSinceEpoch).prefix(10) } ?? "")
        }
        return isStablecoin ? "stablecoin" : "top N"
    }
}

/// A universe change that cannot be made: names the pair and why.
public struct UniverseError: Error, Sendable, CustomStringConvertible {
    /// What kind of refusal it is.
    public enum Kind: Sendable, Hashable {
        /// The universe does not hold the pair.
        case notInUniverse
        /// The universe holds it already, or it comes from CoinGecko's list and cannot be removed.
        case conflict
    }

    /// The pair at fault.
    public var pair: String
    /// What kind of refusal it is.
    public var kind: Kind
    /// Why.
    public var message: String
    public var description: String { "\(pair): \(message)" }
}
