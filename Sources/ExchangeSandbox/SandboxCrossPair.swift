/// A sandbox pair quoted in another coin than USDT (`ETHBTC`, `BTCFDUSD`, as Binance lists them),
/// whose candles are derived from the two coins' synthetic USDT markets: each price of the base's
/// bar divided by the quote's close of the same bar, volumes in the base asset as they are, quote
/// volumes converted at that close. So `universe.quote_asset: BTC` gets pairs and candles end to end.
struct SandboxCrossPair: Sendable {
    let base: SandboxCoin
    let quote: SandboxCoin

    /// The Binance pairs served this way: those of `exchangeInfo`'s non-USDT pairs whose two
    /// assets are sandbox coins with a USDT market.
    static let binancePairs: [(pair: String, base: String, quote: String)] = [
        ("ETHBTC", "ETH", "BTC"), ("BTCFDUSD", "BTC", "FDUSD"),
    ]

    /// The cross pair named `symbol` on Binance, or nil.
    static func binance(_ symbol: String, in market: SyntheticMarket) -> SandboxCrossPair? {
        guard let entry = binancePairs.first(where: { $0.pair == symbol }),
            let base = market.coins.first(where: { $0.symbol == entry.base && $0.usdtPair == .trading }),
            let quote = market.coins.first(where: { $0.symbol == entry.quote && $0.usdtPair == .trading })
        else { return nil }
        return SandboxCrossPair(base: base, quote: quote)
    }

    /// The bars opening in [start, end] (ms), at most `limit`: those both markets have.
    func bars(in market: SyntheticMarket, intervalMilliseconds: Int64, start: Int64, end: Int64, limit: Int) -> [SyntheticBar] {
        let quoteBars = market.bars(of: quote, intervalMilliseconds: intervalMilliseconds, start: start, end: end, limit: .max)
        let quoteClose = Dictionary(quoteBars.map { ($0.openTime, $0.close) }, uniquingKeysWith: { $1 })
        var out: [SyntheticBar] = []
        for bar in market.bars(of: base, intervalMilliseconds: intervalMilliseconds, start: start, end: end, limit: .max) {
            guard out.count < limit, let close = quoteClose[bar.openTime], close > 0 else { continue }
            func converted(_ units: Int64) -> Int64 { Int64(Int128(units) * 100_000_000 / Int128(close)) }
            var derived = bar
            derived.open = converted(bar.open)
            derived.high = converted(bar.high)
            derived.low = converted(bar.low)
            derived.close = converted(bar.close)
            derived.quoteVolume = converted(bar.quoteVolume)
            derived.takerBuyQuoteVolume = converted(bar.takerBuyQuoteVolume)
            out.append(derived)
        }
        return out
    }
}
