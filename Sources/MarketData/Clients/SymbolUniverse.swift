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

    /// Joins the three: each coin gets `<TICKER><QUOTE>` (e.g. `BTCUSDT`) as its pair when Binance
    /// trades it live and no higher-ranked coin with the same ticker took it (CoinGecko tickers
    /// are not unique); stablecoins (CoinGecko's category, or the quote asset itself) are flagged
    /// and keep their pair (the DAGs skip them).
    public static func symbols(
        coins: [CoinMarket], stablecoinIDs: Set<String>, usdtPairs livePairs: Set<String>,
        quoteAsset: String = "USDT"
    ) -> [MarketSymbol] {
        func candidate(_ coin: CoinMarket) -> String { coin.symbol.uppercased() + quoteAsset }
        let byRank = coins.enumerated().sorted {
            ($0.element.marketCapRank ?? .max, $0.offset) < ($1.element.marketCapRank ?? .max, $1.offset)
        }
        var taken = Set<String>()
        var pairOf: [String: String] = [:]
        for (_, coin) in byRank where livePairs.contains(candidate(coin)) {
            if taken.insert(candidate(coin)).inserted { pairOf[coin.id] = candidate(coin) }
        }
        return coins.map { coin in
            MarketSymbol(
                id: coin.id, ticker: coin.symbol, name: coin.name, rank: coin.marketCapRank,
                marketCap: coin.marketCap, binancePair: pairOf[coin.id],
                isStablecoin: stablecoinIDs.contains(coin.id) || coin.symbol.uppercased() == quoteAsset)
        }
    }
}
