import Foundation

/// A trading pair in the one naming every exchange is mapped to: `BASE/QUOTE` in upper case, with
/// each exchange's asset aliases resolved (Kraken's `XBT` and `XXBT` are `BTC`, `XDG` is `DOGE`).
///
/// ```swift
/// let pair = try CanonicalPair(parsing: "btc/usdt")   // BTC/USDT
/// pair.binanceSymbol                                  // "BTCUSDT"
/// ```
public struct CanonicalPair: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The asset bought (`BTC`).
    public var base: String
    /// The asset paid (`USDT`).
    public var quote: String

    /// A pair from its assets (upper-cased).
    public init(base: String, quote: String) {
        self.base = base.uppercased()
        self.quote = quote.uppercased()
    }

    /// Parses `BASE/QUOTE`; throws naming the text when it has no single `/` between two assets.
    public init(parsing text: String) throws(CanonicalPairError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
            parts.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber } })
        else { throw CanonicalPairError(text: text) }
        self.init(base: String(parts[0]), quote: String(parts[1]))
    }

    /// `BTC/USDT`.
    public var description: String { base + "/" + quote }

    /// Binance's name for the pair: the assets run together (`BTCUSDT`).
    public var binanceSymbol: String { base + quote }

    public static func < (lhs: CanonicalPair, rhs: CanonicalPair) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try CanonicalPair(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Text that is not a `BASE/QUOTE` pair.
public struct CanonicalPairError: Error, Sendable, CustomStringConvertible {
    /// The text given.
    public var text: String
    public var description: String { "\"\(text)\" is not a pair: expected BASE/QUOTE, e.g. BTC/USDT" }
}
