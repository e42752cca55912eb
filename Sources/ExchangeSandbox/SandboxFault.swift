/// Something the sandbox does wrong on purpose, so tests can watch a client cope.
public enum SandboxFault: Sendable, Hashable, Codable {
    /// Waits this many milliseconds before answering (exceed a client's timeout to make it time out).
    case latency(milliseconds: Int)
    /// Answers with this status (e.g. 500, 503) and the route's error body.
    case status(Int)
    /// Answers 429 with the route's rate-limit body and `Retry-After` (omitted when `nil`, as
    /// CoinGecko may).
    case rateLimited(retryAfterSeconds: Int?)
    /// Answers 418 (Binance IP ban) with `Retry-After`.
    case banned(retryAfterSeconds: Int)
    /// Sends only the first `bytes` bytes of the real body, with a matching Content-Length.
    case truncatedBody(bytes: Int)
    /// Announces the full Content-Length, sends only the first `bytes` bytes and closes the
    /// connection (a transfer cut mid-body; clients see a partial file and retry).
    case droppedConnection(afterBytes: Int)
    /// Serves a `.CHECKSUM` whose hash does not match the zip.
    case wrongChecksum
    /// Corrupts CSV row `line` (1-based) inside the zip; the `.CHECKSUM` matches the corrupted zip.
    case malformedRow(line: Int)
}

/// The routes faults can be set on.
public enum SandboxRoute: String, Sendable, Hashable, Codable, CaseIterable {
    /// CoinGecko `GET /api/v3/coins/markets`.
    case coinsMarkets
    /// Binance `GET /api/v3/exchangeInfo`.
    case exchangeInfo
    /// Binance `GET /api/v3/klines`.
    case klines
    /// Archive zips `GET /data/spot/{monthly,daily}/klines/…zip`.
    case archiveZip
    /// Archive checksums `GET /data/spot/…zip.CHECKSUM`.
    case archiveChecksum
    /// The bucket listing `GET /data.binance.vision?prefix=…`.
    case listing
    /// `GET /api/v3/account` and `POST /api/v3/order` (signed).
    case trading
    /// The notification receivers: webhook, Slack, Discord, Telegram.
    case receivers
    /// Kraken `GET /0/public/AssetPairs`, `OHLC` and `Trades`.
    case kraken
    /// KuCoin `GET /api/v2/symbols` and `/api/v1/market/candles`.
    case kucoin
    /// Poloniex `GET /markets` and `/markets/{symbol}/candles`.
    case poloniex
}

/// A fault armed on a route: it fires on requests whose path and query contain `matching` (all when
/// empty), `times` times (for ever when `nil`).
public struct SandboxFaultRule: Sendable, Hashable, Codable {
    /// The route it applies to.
    public var route: SandboxRoute
    /// The misbehaviour.
    public var fault: SandboxFault
    /// A substring the request's path-and-query must contain (e.g. a file or symbol name).
    public var matching: String
    /// Firings left; `nil` for unlimited.
    public var times: Int?

    /// A rule; by default it fires once on any request to the route.
    public init(route: SandboxRoute, fault: SandboxFault, matching: String = "", times: Int? = 1) {
        self.route = route
        self.fault = fault
        self.matching = matching
        self.times = times
    }
}
