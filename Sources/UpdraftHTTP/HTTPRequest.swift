/// One request (a GET unless `method` says otherwise): where, with which headers and body, how
/// long to wait, and what it costs.
///
/// ```swift
/// var request = HTTPRequest(url: "https://api.binance.com/api/v3/klines?symbol=BTCUSDT&interval=1m")
/// request.weight = 2
/// request.rateLimit = .binance
/// ```
public struct HTTPRequest: Sendable {
    /// The absolute URL, query included.
    public var url: String
    /// `GET` (the default), `POST`, `PUT`, `DELETE`…
    public var method: String
    /// The request body (sent with its `Content-Type` header from `headers`).
    public var body: [UInt8]?
    /// Extra request headers (secrets here are never logged or put into errors).
    public var headers: HTTPHeaders
    /// Longest wait for the TCP (and TLS) connection.
    public var connectTimeout: Duration
    /// Longest wait for the whole transfer, connection included.
    public var timeout: Duration
    /// This request's cost against the host's rate limit.
    public var weight: Int
    /// The host's budget; `nil` leaves the host unlimited (bans and `Retry-After` pauses still apply).
    public var rateLimit: RateLimit?
    /// When set, a successful body is streamed to this file (written to `path + ".part"` and renamed
    /// on success) instead of being kept in memory.
    public var destination: String?

    /// A GET of `url` with default timeouts (10 s connect, 60 s total) and weight 1.
    public init(
        url: String, headers: HTTPHeaders = [:], connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(60), weight: Int = 1, rateLimit: RateLimit? = nil,
        destination: String? = nil, method: String = "GET", body: [UInt8]? = nil
    ) {
        self.url = url
        self.method = method
        self.body = body
        self.headers = headers
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.weight = weight
        self.rateLimit = rateLimit
        self.destination = destination
    }
}
