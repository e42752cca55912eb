import Foundation
import MarketData
import MarketPipeline
import UpdraftRuntime

/// `get_symbols` (`@daily`, 00:00 UTC): the top coins by market cap from CoinGecko into the
/// `symbol` table (upsert; rank history kept), each mapped to its Binance pair through
/// `exchangeInfo`. Stablecoins and coins without a pair are recorded and skipped, with counts in
/// the log. On success it updates the asset `symbols`, on which `historical` is scheduled.
enum GetSymbols {
    static func dag(schedule: String) -> DAG {
        DAG(
            "get_symbols", schedule: schedule, startDate: .utc(2024, 1, 1), catchup: false, maxActiveRuns: 1,
            defaults: CryptoDefaults.networkTask, tags: ["crypto"],
            description: "Top coins by market cap from CoinGecko, mapped to Binance pairs."
        ) { d in
            let markets = d.task("fetch_markets") { ctx in
                let count = try ctx.configuration[.universeCoins]
                let coins = try await ctx.clients.coinGecko.topCoins(count: count)
                ctx.log.info("CoinGecko returned \(coins.count) of the top \(count) coins")
                return coins
            }
            let stablecoins = d.task("fetch_stablecoins") { ctx in
                let ids = try await ctx.clients.coinGecko.stablecoinIDs()
                ctx.log.info("CoinGecko lists \(ids.count) stablecoins")
                return ids.sorted()
            }
            let pairs = d.task("fetch_pairs") { ctx in
                let quote = try ctx.configuration[.universeQuoteAsset]
                let live = try await ctx.clients.binance.livePairs(quote: quote)
                ctx.log.info("Binance trades \(live.count) live \(quote) spot pairs")
                return live.sorted()
            }
            d.task(
                "record_symbols", markets, stablecoins, pairs,
                options: TaskOptions().updating(MarketAssets.symbols)
            ) { ctx, coins, stablecoins, pairs in
                let configuration = try ctx.configuration
                let quoteAsset = configuration[.universeQuoteAsset]
                let mapping = SymbolMapping(
                    coins: coins, stablecoinIDs: Set(stablecoins), livePairs: Set(pairs),
                    quoteAsset: quoteAsset, extraSymbols: configuration[.universeExtraSymbols])
                let warehouse = try ctx.stores.warehouse
                try warehouse.upsertSymbols(mapping.symbols, observedAt: ctx.logicalDate)
                let (left, returned) = try warehouse.recordTopCoins(Set(mapping.symbols.map(\.id)), at: ctx.logicalDate)
                if !left.isEmpty { ctx.log.info("left the top \(coins.count): \(left.joined(separator: ", ")) (untracked, candles kept)") }
                if !returned.isEmpty { ctx.log.info("back in the top \(coins.count): \(returned.joined(separator: ", "))") }
                ctx.log.info(
                    "recorded \(mapping.symbols.count) coins: \(mapping.tracked.count) tracked, "
                        + "\(mapping.stablecoins) stablecoins skipped, \(mapping.withoutPair) without a "
                        + "\(quoteAsset) pair skipped")
                return mapping.tracked
            }
        }
    }
}

/// Task options shared by the crypto DAGs.
enum CryptoDefaults {
    /// Network calls: three retries with exponential backoff (the HTTP client already retries
    /// transient errors; these cover longer outages).
    static let networkTask = TaskOptions(
        retry: RetryPolicy(retries: 3, initialDelay: .seconds(2), backoffCoefficient: 2, maximumDelay: .seconds(60)),
        executionTimeout: .seconds(1800))
}
