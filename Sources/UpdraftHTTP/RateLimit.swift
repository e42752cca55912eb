/// A per-host request budget: `capacity` weight units per `window`, shared by every request
/// of the process to that host.
///
/// ```swift
/// let binance = RateLimit.binance                    // 6,000 weight per minute, synced from X-MBX-USED-WEIGHT-1M
/// let gecko = RateLimit.callsPerMinute(30)           // CoinGecko demo plan
/// ```
public struct RateLimit: Sendable, Hashable {
    /// Weight units allowed per window.
    public var capacity: Int
    /// The window length; windows are aligned to multiples of it since the Unix epoch (a minute
    /// window resets on the minute, as Binance's does).
    public var window: Duration
    /// A response header carrying the server's count of weight used in the current window, read
    /// to stay in step with other clients sharing the address (matched case-insensitively).
    public var usedWeightHeader: String?

    /// A budget of `capacity` per `window`, optionally synced from `usedWeightHeader`.
    public init(capacity: Int, window: Duration = .seconds(60), usedWeightHeader: String? = nil) {
        self.capacity = max(1, capacity)
        self.window = window
        self.usedWeightHeader = usedWeightHeader
    }

    /// Binance spot REST: `REQUEST_WEIGHT` 6,000 per minute, read back from `X-MBX-USED-WEIGHT-1M`.
    public static let binance = RateLimit(capacity: 6_000, usedWeightHeader: "X-MBX-USED-WEIGHT-1M")

    /// A plain calls-per-minute budget (each request weighs 1), as CoinGecko's plans are stated.
    public static func callsPerMinute(_ calls: Int) -> RateLimit {
        RateLimit(capacity: calls)
    }
}
