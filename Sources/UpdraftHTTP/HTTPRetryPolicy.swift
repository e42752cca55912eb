import Foundation

/// When and how long the client waits before trying a request again.
///
/// Timeouts, connection failures and 5xx responses are retried up to `maxAttempts` in all, waiting
/// `initialDelay × multiplier^(n−1)` (capped at `maxDelay`) before retry n. A 429 waits
/// `Retry-After` (or CoinGecko's `x-ratelimit-reset`, or else `rateLimitFallbackDelay`) and does
/// not use up an attempt, up to `maxRateLimitWaits` times in a row.
///
/// ```swift
/// let patient = HTTPRetryPolicy(maxAttempts: 8, initialDelay: .seconds(1), maxDelay: .seconds(60))
/// ```
public struct HTTPRetryPolicy: Sendable, Hashable {
    /// Attempts in all for retryable failures (1 = never retry).
    public var maxAttempts: Int
    /// Wait before the first retry.
    public var initialDelay: Duration
    /// Factor applied to the wait for each further retry (≥ 1).
    public var multiplier: Double
    /// Upper bound of any single backoff wait.
    public var maxDelay: Duration
    /// How many 429 responses one request will wait out before failing.
    public var maxRateLimitWaits: Int
    /// Wait after a 429 that carries neither `Retry-After` nor `x-ratelimit-reset`.
    public var rateLimitFallbackDelay: Duration
    /// Ban length assumed for a 418 without `Retry-After` (Binance's shortest ban is 2 minutes).
    public var defaultBanDuration: Duration

    /// A policy; defaults: 5 attempts, 0.5 s doubling to at most 30 s, 10 rate-limit waits, 60 s
    /// fallback, 120 s default ban.
    public init(
        maxAttempts: Int = 5, initialDelay: Duration = .milliseconds(500), multiplier: Double = 2,
        maxDelay: Duration = .seconds(30), maxRateLimitWaits: Int = 10,
        rateLimitFallbackDelay: Duration = .seconds(60), defaultBanDuration: Duration = .seconds(120)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.multiplier = max(1, multiplier)
        self.maxDelay = maxDelay
        self.maxRateLimitWaits = max(0, maxRateLimitWaits)
        self.rateLimitFallbackDelay = rateLimitFallbackDelay
        self.defaultBanDuration = defaultBanDuration
    }

    /// The backoff before retry number `retry` (1-based).
    func delay(beforeRetry retry: Int) -> Duration {
        let seconds = initialDelay.timeInterval * pow(multiplier, Double(max(0, retry - 1)))
        return .interval(min(seconds, max(maxDelay.timeInterval, initialDelay.timeInterval)))
    }
}
