import UpdraftHTTP
import UpdraftRuntime

/// The crypto pipeline's counters, counted where they happen (often a worker process) in
/// ``TaskMetrics`` and served by the process that owns the run:
///
/// - `updraft_http_retries_total{host}`: requests sent again after a transport error or a 5xx;
/// - `updraft_http_rate_limit_waits_total{host}`: waits for a host's weight window or a 429's pause;
/// - `updraft_rows_ingested_total{table}`: candles written to the warehouse (archive loads, REST fetches).
public enum MarketMetrics {
    public static let httpRetries = "updraft_http_retries_total"
    public static let rateLimitWaits = "updraft_http_rate_limit_waits_total"
    public static let rowsIngested = "updraft_rows_ingested_total"

    /// An ``HTTPClient`` observer that counts its events in `metrics`.
    public static func counting(in metrics: TaskMetrics) -> @Sendable (HTTPClientEvent) -> Void {
        { event in
            switch event {
            case .retry(let host): metrics.increment(httpRetries, labels: ["host": host])
            case .rateLimitWait(let host, _): metrics.increment(rateLimitWaits, labels: ["host": host])
            }
        }
    }
}
