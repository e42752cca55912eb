import Foundation

/// The sandbox's coins: two dozen hand-made ones mirroring the top of the real market (stablecoins,
/// a micro-priced meme coin, coins with no USDT pair, a delisted pair) plus a synthetic long tail so
/// `coins/markets` pages past 250.
enum SandboxCoinUniverse {
    /// The hand-made coins, largest first.
    static let featured: [SandboxCoin] = [
        coin("bitcoin", "BTC", "Bitcoin", 96_000, 0.028, 19.9e6, max: 21e6, volume: 2.0e9),
        coin("ethereum", "ETH", "Ethereum", 3_400, 0.036, 120.4e6, volume: 1.2e9),
        coin("tether", "USDT", "Tether", 1, 0.0004, 140e9, volume: 5e9, pair: .none, stable: true),
        coin("binancecoin", "BNB", "BNB", 610, 0.03, 145e6, max: 200e6, volume: 2.5e8),
        coin("solana", "SOL", "Solana", 185, 0.05, 480e6, volume: 6e8),
        coin("usd-coin", "USDC", "USDC", 1, 0.0003, 42e9, volume: 8e8, stable: true),
        coin("ripple", "XRP", "XRP", 0.62, 0.045, 57e9, max: 100e9, volume: 4e8),
        coin("dogecoin", "DOGE", "Dogecoin", 0.16, 0.06, 146e9, volume: 3e8),
        coin("cardano", "ADA", "Cardano", 0.45, 0.05, 35e9, max: 45e9, volume: 1.5e8),
        coin("tron", "TRX", "TRON", 0.13, 0.03, 87e9, volume: 1e8),
        coin("avalanche-2", "AVAX", "Avalanche", 35, 0.055, 408e6, max: 720e6, volume: 1e8),
        coin("shiba-inu", "SHIB", "Shiba Inu", 0.000_021, 0.065, 589e12, volume: 2.0e5),
        coin("chainlink", "LINK", "Chainlink", 15.2, 0.05, 626e6, max: 1e9, volume: 9e7),
        coin("polkadot", "DOT", "Polkadot", 7.1, 0.05, 1.5e9, volume: 6e7),
        coin("bitcoin-cash", "BCH", "Bitcoin Cash", 410, 0.045, 19.8e6, max: 21e6, volume: 5e7),
        coin("leo-token", "LEO", "LEO Token", 6.2, 0.015, 925e6, pair: .none),
        coin("litecoin", "LTC", "Litecoin", 82, 0.045, 75e6, max: 84e6, volume: 6e7),
        coin("dai", "DAI", "Dai", 1, 0.0005, 5.3e9, volume: 2e7, pair: .none, stable: true),
        coin("near", "NEAR", "NEAR Protocol", 5.2, 0.06, 1.2e9, volume: 5e7, listedAfter: 20),
        coin("pepe", "PEPE", "Pepe", 0.000_011, 0.08, 420e12, max: 420.69e12, volume: 1.5e5),
        coin("uniswap", "UNI", "Uniswap", 8.4, 0.055, 600e6, max: 1e9, volume: 4e7),
        coin("first-digital-usd", "FDUSD", "First Digital USD", 1, 0.0004, 2.5e9, volume: 3e8, stable: true),
        coin("wrapped-bitcoin", "WBTC", "Wrapped Bitcoin", 96_000, 0.028, 0.15e6, pair: .none),
        coin("monero", "XMR", "Monero", 160, 0.04, 18.4e6, pair: .delisted),
        coin("yearn-finance", "YFI", "yearn.finance", 7_200, 0.06, 33_000, max: 36_666, volume: 8e6),
    ]

    /// The featured coins followed by long-tail coins until `count` coins exist.
    static func coins(count: Int, seed: UInt64) -> [SandboxCoin] {
        var coins = featured
        var random = SeededRandom(seed: seed, SeededRandom.label("long-tail"))
        var index = coins.count
        while coins.count < count {
            index += 1
            let stable = index % 47 == 0
            let price = stable ? 1 : pow(10, random.uniform() * 6 - 4)  // 1e-4 … 1e2
            let cap = 4e9 / Double(index) * (0.6 + random.uniform())
            coins.append(
                coin(
                    "sandbox-coin-\(index)", "SBX\(index)", "Sandbox Coin \(index)", price,
                    stable ? 0.001 : 0.04 + random.uniform() * 0.06, cap / price,
                    volume: cap * 0.02, pair: .none, stable: stable))
        }
        return coins
    }

    private static func coin(
        _ id: String, _ symbol: String, _ name: String, _ price: Double, _ volatility: Double,
        _ supply: Double, max: Double? = nil, volume: Double = 1e7,
        pair: SandboxCoin.USDTPair = .trading, stable: Bool = false,
        listedAfter: Int = 0
    ) -> SandboxCoin {
        SandboxCoin(
            id: id, symbol: symbol, name: name, initialPrice: price, dailyVolatility: volatility,
            circulatingSupply: supply, maxSupply: max, dailyQuoteVolume: volume, usdtPair: pair,
            isStablecoin: stable, listingDelayDays: listedAfter)
    }
}
