import Foundation
import MarketData

/// How a sandbox is set up: its address, its synthetic market and its clock.
///
/// ```swift
/// var configuration = SandboxConfiguration(seed: 7)
/// configuration.now = ISO8601DateFormatter().date(from: "2024-03-10T12:00:00Z")
/// configuration.historyStart = ISO8601DateFormatter().date(from: "2024-01-01T00:00:00Z")!
/// ```
public struct SandboxConfiguration: Sendable {
    /// Address to bind; the sandbox only ever listens on loopback.
    public var host: String
    /// Port to bind; 0 picks a free one (read it back from `ExchangeSandbox.port`).
    public var port: Int
    /// Seed of every synthetic series; the same seed serves the same market.
    public var seed: UInt64
    /// The sandbox's "now"; `nil` follows the system clock. Files exist for complete days and months
    /// before it, REST klines up to it (the bar holding it is still open).
    public var now: Date?
    /// First day of synthetic history (UTC midnight); coins list on it or a few days later.
    public var historyStart: Date
    /// How many coins `coins/markets` knows (the featured two dozen plus a synthetic long tail).
    public var coinCount: Int
    /// A directory laid out like the archive (`data/spot/daily/klines/BTCUSDT/1m/…zip`) whose files
    /// are served as they are and listed beside the synthetic ones; `nil` for none.
    public var fixtureRoot: String?
    /// Binance request weight per minute before the sandbox answers 429 (real: 6,000).
    public var binanceWeightLimit: Int
    /// 429s tolerated within one minute before the sandbox bans the caller with 418.
    public var binanceBanAfterViolations: Int
    /// Length of a 418 ban, sent as `Retry-After`.
    public var binanceBanDuration: Duration
    /// Keys per listing page when the request gives no `max-keys` (S3: 1,000).
    public var listingMaxKeys: Int
    /// The clock on which Binance request weight is counted per minute and bans run out: the
    /// system clock (Binance counts in wall-clock minutes); tests pin it so that which minute a
    /// request falls in does not depend on how fast the machine is.
    public var weightClock: @Sendable () -> Date = { Date() }
    /// Trading accounts of the signed endpoints (`/api/v3/account`, `/api/v3/order`): API key →
    /// secret key. By default one account with the public example pair of Binance's documentation.
    public var tradingKeys: [String: String] = [SandboxTradingDesk.exampleAPIKey: SandboxTradingDesk.exampleSecretKey]
    /// What every trading account starts with, by asset.
    public var startingBalances: [String: Int64] = ["USDT": 10_000 * 100_000_000]
    /// Request budgets of Kraken, KuCoin and Poloniex; an exchange not named keeps its documented
    /// budget (``SandboxExchangeBudget/documented``). Counted on ``weightClock``.
    public var exchangeBudgets: [ExchangeID: SandboxExchangeBudget] = SandboxExchangeBudget.documented
    /// The taker fee of the signed order endpoint, in basis points (Binance's default 0.1 %).
    public var takerFeeBasisPoints: Int64 = 10

    /// A configuration; by default history starts on the first day of the month two months before now.
    public init(
        host: String = "127.0.0.1", port: Int = 0, seed: UInt64 = 42, now: Date? = nil,
        historyStart: Date? = nil, coinCount: Int = 300, fixtureRoot: String? = nil,
        binanceWeightLimit: Int = 6_000, binanceBanAfterViolations: Int = 5,
        binanceBanDuration: Duration = .seconds(120), listingMaxKeys: Int = 1_000
    ) {
        self.host = host
        self.port = port
        self.seed = seed
        self.now = now
        self.historyStart = historyStart ?? Self.defaultHistoryStart(now: now ?? Date())
        self.coinCount = coinCount
        self.fixtureRoot = fixtureRoot
        self.binanceWeightLimit = binanceWeightLimit
        self.binanceBanAfterViolations = binanceBanAfterViolations
        self.binanceBanDuration = binanceBanDuration
        self.listingMaxKeys = listingMaxKeys
    }

    /// The first day of the month two months before `now`, at 00:00 UTC.
    public static func defaultHistoryStart(now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var parts = calendar.dateComponents([.year, .month], from: now)
        parts.month = (parts.month ?? 1) - 2
        parts.day = 1
        return calendar.date(from: parts) ?? now
    }
}
