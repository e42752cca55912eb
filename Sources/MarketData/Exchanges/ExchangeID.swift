import Foundation

/// An exchange the pipeline collects candles from; its raw value is the warehouse's `exchange`
/// column and the name in `universe.exchanges`.
///
/// ```swift
/// let exchange = try ExchangeID(configured: "kraken")   // .kraken
/// exchange.displayName                                 // "Kraken"
/// ```
public enum ExchangeID: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// Binance spot (REST `klines` and the public data archive).
    case binance
    /// Kraken spot (`/0/public/Trades` aggregated to candles, `/0/public/OHLC` for the latest 720).
    case kraken
    /// KuCoin spot (`/api/v1/market/candles`).
    case kucoin
    /// Poloniex spot (`/markets/{symbol}/candles`).
    case poloniex

    /// Parses a configured name (case-insensitive), naming the valid ones when it is unknown.
    public init(configured name: String) throws(UnknownExchangeError) {
        guard let exchange = ExchangeID(rawValue: name.lowercased().trimmingCharacters(in: .whitespaces)) else {
            throw UnknownExchangeError(name: name)
        }
        self = exchange
    }

    /// How people write it: `Binance`, `Kraken`, `KuCoin`, `Poloniex`.
    public var displayName: String {
        switch self {
        case .binance: "Binance"
        case .kraken: "Kraken"
        case .kucoin: "KuCoin"
        case .poloniex: "Poloniex"
        }
    }

    public static func < (lhs: ExchangeID, rhs: ExchangeID) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// An exchange name that is not one of ``ExchangeID``'s.
public struct UnknownExchangeError: Error, Sendable, CustomStringConvertible {
    /// The name given.
    public var name: String
    public var description: String {
        "unknown exchange \"\(name)\": expected one of \(ExchangeID.allCases.map(\.rawValue).joined(separator: ", "))"
    }
}
