/// How a failed try is retried (Airflow's retry semantics, Temporal's shape).
///
/// The delay before try `n + 1` (after `n` failed tries) is
/// `min(maximumDelay, initialDelay × backoffCoefficient^(n-1))`, plus up to `jitter × delay`.
/// A coefficient of 1 (the default) is a constant delay, as in Airflow.
///
/// ```swift
/// let policy = RetryPolicy(retries: 3, initialDelay: .seconds(2), backoffCoefficient: 2,
///                          maximumDelay: .seconds(60), jitter: 0.1)
/// policy.delay(afterFailedTries: 2, jitterSample: 0)   // 4 s
/// ```
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// Tries allowed after the first one (0: no retry).
    public var retries: Int
    /// Delay before the first retry.
    public var initialDelay: Duration
    /// Growth factor per retry; at least 1 (1 means constant).
    public var backoffCoefficient: Double
    /// Upper bound on the delay (before jitter), if any.
    public var maximumDelay: Duration?
    /// Extra random delay as a fraction of the delay, in 0...1.
    public var jitter: Double
    /// Error type names (`String(describing: type(of: error))`) that fail the task without retry.
    public var nonRetryableErrors: Set<String>

    public init(
        retries: Int = 0, initialDelay: Duration = .seconds(300), backoffCoefficient: Double = 1,
        maximumDelay: Duration? = nil, jitter: Double = 0, nonRetryableErrors: Set<String> = []
    ) {
        self.retries = max(0, retries)
        self.initialDelay = max(.zero, initialDelay)
        self.backoffCoefficient = max(1, backoffCoefficient)
        self.maximumDelay = maximumDelay
        self.jitter = min(1, max(0, jitter))
        self.nonRetryableErrors = nonRetryableErrors
    }

    /// No retries.
    public static let none = RetryPolicy()

    /// Whether another try is allowed after `failedTries` failed tries ending in an error of `errorType`.
    public func allowsRetry(afterFailedTries failedTries: Int, errorType: String?) -> Bool {
        if let errorType, nonRetryableErrors.contains(errorType) { return false }
        return failedTries <= retries
    }

    /// The delay before the next try after `failedTries` (≥ 1) failed tries; `jitterSample` in 0..<1.
    public func delay(afterFailedTries failedTries: Int, jitterSample: Double) -> Duration {
        let base = initialDelay.seconds
        var seconds = base * pow(backoffCoefficient, Double(max(0, failedTries - 1)))
        if let maximumDelay { seconds = min(seconds, maximumDelay.seconds) }
        if !seconds.isFinite { seconds = maximumDelay?.seconds ?? 86_400 }
        seconds += seconds * jitter * min(max(jitterSample, 0), 1)
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

private func pow(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    var remaining = Int(exponent)
    while remaining > 0 { result *= base; remaining -= 1; if result > 1e12 { return result } }
    return result
}
