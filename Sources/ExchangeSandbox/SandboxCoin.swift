import Foundation

/// One coin of the synthetic market: its CoinGecko identity, its price process, and how (or whether)
/// it trades against USDT on the sandbox's Binance.
public struct SandboxCoin: Sendable, Hashable {
    /// How the coin appears on the sandbox Binance.
    public enum USDTPair: Sendable, Hashable {
        /// No `…USDT` pair at all (USDT itself, LEO, DAI, WBTC…).
        case none
        /// A live pair (`status TRADING`), with klines and archive files.
        case trading
        /// A delisted pair still in exchangeInfo with `status BREAK`; no klines.
        case delisted
    }

    /// CoinGecko id, the coin's key (`bitcoin`).
    public var id: String
    /// Ticker in upper case (`BTC`); CoinGecko shows it lower case.
    public var symbol: String
    /// Display name (`Bitcoin`).
    public var name: String
    /// Price in USD on the first day of history.
    public var initialPrice: Double
    /// Typical daily volatility of log returns (0.03 = 3 %).
    public var dailyVolatility: Double
    /// Circulating supply; market cap = price × supply.
    public var circulatingSupply: Double
    /// Maximum supply, `nil` when uncapped (CoinGecko sends `null`).
    public var maxSupply: Double?
    /// Typical traded quote volume per day in USDT.
    public var dailyQuoteVolume: Double
    /// Its USDT pair on the sandbox Binance.
    public var usdtPair: USDTPair
    /// Whether it belongs to CoinGecko's `stablecoins` category (mean-reverts to 1).
    public var isStablecoin: Bool
    /// Days after the sandbox's history start when it was listed on Binance.
    public var listingDelayDays: Int

    /// The Binance pair name (`BTCUSDT`).
    public var pairSymbol: String { symbol + "USDT" }
}
