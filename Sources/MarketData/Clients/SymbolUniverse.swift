import Foundation

/// The warehouse's symbol rows, built from CoinGecko's ranking and Binance's live USDT pairs: what
/// the `get_symbols` task stores.
///
/// ```swift
/// let symbols = try await SymbolUniverse.fetch(top: 100, coinGecko: gecko, binance: binance)
/// try warehouse.upsertSymbols(symbols, observedAt: Date())
/// ```
public enum SymbolUniverse {
    /// Fetches the top `count` coins, the stablecoin category and the live USDT pairs, and joins them.
    public static func fetch(top count: Int, coinGecko: CoinGeckoClient, binance: BinanceRESTClient) async throws -> [MarketSymbol] {
        let coins = try await coinGecko.topCoins(count: count)
        let stablecoins = try await coinGecko.stablecoinIDs()
        let pairs = try await binance.usdtPairs()
        return symbols(coins: coins, stablecoinIDs: stablecoins, usdtPairs: pairs)
    }

    /// Joins the three: each coin gets `TICKERUSDT` as its pair when Binance trades it live and no
    /// higher-ranked coin with the same ticker took it (CoinGecko tickers are not unique);
    /// stablecoins are flagged (they keep their pair; the DAGs skip them).
    public static func symbols(coins: [CoinMarket], stablecoinIDs: Set<String>, usdtPairs: Set<String>) -> [MarketSymbol] {
        let byRank = coins.enumerated().sorted {
            ($0.element.marketCapRank ?? .max, $0.offset) < ($1.element.marketCapRank ?? .max, $1.offset)
        }
        var taken = Set<String>()
        var pairOf: [String: String] = [:]
        for (_, coin) in byRank where usdtPairs.contains(coin.usdtPairCandidate) {
            if taken.insert(coin.usdtPairCandidate).inserted { pairOf[coin.id] = coin.usdtPairCandidate }
        }
        return coins.map { coin in
            MarketSymbol(id: coin.id, ticker: coin.symbol, name: coin.name, rank: coin.marketCapRank,
                         marketCap: coin.marketCap, binancePair: pairOf[coin.id],
                         isStablecoin: stablecoinIDs.contains(coin.id))
        }
    }
}
