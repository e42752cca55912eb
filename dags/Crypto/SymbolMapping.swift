import Foundation
import MarketData

/// Maps CoinGecko's top coins to Binance spot pairs, as `get_symbols` records them.
///
/// A coin maps to `<TICKER><QUOTE>` (e.g. `btc` → `BTCUSDT`) when Binance trades that pair.
/// When several coins share a ticker (CoinGecko tickers are not unique), the best-ranked one
/// gets the pair. Stablecoins are recorded but not tracked; coins without a live pair are
/// recorded with no pair.
struct SymbolMapping: Sendable, Equatable {
    /// Every coin to record, with its pair (nil: none) and stablecoin flag.
    var symbols: [MarketSymbol]
    /// Pairs to track: mapped, non-stable coins plus the configured extra symbols.
    var tracked: [String]
    var stablecoins: Int
    var withoutPair: Int

    init(coins: [CoinMarket], stablecoinIDs: Set<String>, livePairs: Set<String>,
         quoteAsset: String, extraSymbols: [String]) {
        var claimed = Set<String>()
        var symbols: [MarketSymbol] = []
        var tracked: [String] = []
        var stablecoins = 0, withoutPair = 0
        let ranked = coins.sorted { ($0.marketCapRank ?? .max, $0.id) < ($1.marketCapRank ?? .max, $1.id) }
        for coin in ranked {
            let candidate = coin.symbol.uppercased() + quoteAsset
            let isStable = stablecoinIDs.contains(coin.id) || coin.symbol.uppercased() == quoteAsset
            let pair = livePairs.contains(candidate) && !claimed.contains(candidate) ? candidate : nil
            if let pair { claimed.insert(pair) }
            if isStable { stablecoins += 1 } else if pair == nil { withoutPair += 1 }
            if let pair, !isStable { tracked.append(pair) }
            symbols.append(MarketSymbol(id: coin.id, ticker: coin.symbol.uppercased(), name: coin.name,
                                        rank: coin.marketCapRank, marketCap: coin.marketCap,
                                        binancePair: pair, isStablecoin: isStable))
        }
        for extra in extraSymbols.map({ $0.uppercased() }) where !claimed.contains(extra) {
            claimed.insert(extra)
            let ticker = extra.hasSuffix(quoteAsset) ? String(extra.dropLast(quoteAsset.count)) : extra
            symbols.append(MarketSymbol(id: "binance:\(extra)", ticker: ticker, name: ticker, rank: nil,
                                        marketCap: nil, binancePair: extra, isStablecoin: false))
            tracked.append(extra)
        }
        self.symbols = symbols
        self.tracked = tracked
        self.stablecoins = stablecoins
        self.withoutPair = withoutPair
    }
}
