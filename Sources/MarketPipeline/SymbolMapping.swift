import Foundation
import MarketData

/// What `get_symbols` records and tracks: CoinGecko's top coins joined to Binance pairs by
/// `SymbolUniverse.symbols` (best rank wins a shared ticker), plus the configured extra pairs.
/// Stablecoins are recorded but not tracked; coins without a live pair are recorded with no pair.
public struct SymbolMapping: Sendable, Equatable {
    /// Every coin to record, with its pair (nil: none) and stablecoin flag.
    public var symbols: [MarketSymbol]
    /// Pairs to track: mapped, non-stable coins plus the configured extra symbols.
    public var tracked: [String]
    public var stablecoins: Int
    public var withoutPair: Int

    public init(
        coins: [CoinMarket], stablecoinIDs: Set<String>, livePairs: Set<String>,
        quoteAsset: String, extraSymbols: [String]
    ) {
        var symbols = SymbolUniverse.symbols(
            coins: coins, stablecoinIDs: stablecoinIDs, usdtPairs: livePairs,
            quoteAsset: quoteAsset)
        symbols.sort { ($0.rank ?? .max, $0.id) < ($1.rank ?? .max, $1.id) }
        var tracked = symbols.filter { !$0.isStablecoin }.compactMap(\.binancePair)
        var claimed = Set(symbols.compactMap(\.binancePair))
        for extra in extraSymbols.map({ $0.uppercased() }) where claimed.insert(extra).inserted {
            let ticker = extra.hasSuffix(quoteAsset) ? String(extra.dropLast(quoteAsset.count)) : extra
            symbols.append(
                MarketSymbol(
                    id: "binance:\(extra)", ticker: ticker.lowercased(), name: ticker, rank: nil,
                    marketCap: nil, binancePair: extra, isStablecoin: false))
            tracked.append(extra)
        }
        self.symbols = symbols
        self.tracked = tracked
        self.stablecoins = symbols.filter(\.isStablecoin).count
        self.withoutPair = symbols.filter { !$0.isStablecoin && $0.binancePair == nil }.count
    }
}
