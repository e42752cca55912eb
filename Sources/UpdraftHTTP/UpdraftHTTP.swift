/// Async HTTP over libcurl, with retries, backoff and per-host rate limits.
public enum UpdraftHTTP {}
