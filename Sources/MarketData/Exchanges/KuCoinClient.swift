import Foundation
import UpdraftHTTP

/// KuCoin spot public market data: `GET /api/v2/symbols` and `GET /api/v1/market/candles`
/// (at most 1,500 candles a request, `startAt`/`endAt` in seconds, newest first), paged forward
/// by time windows of 1,500 candles within the public pool's 2,000 weight per 30 s.
///
/// ```swift
/// let kucoin = KuCoinClient(configuration: .init(baseURL: "https://api.kucoin.com"))
/// try await kucoin.candles(symbol: "BTC-USDT", interval: .oneMinute, start: from, end: to) { page in … }
/// ```
public struct KuCoinClient: ExchangeClient, PublicExchangeDefaults {
    /// Where and how to call KuCoin (its real host and limits by default).
    public typealias Configuration = ExchangeClientConfiguration<KuCoinClient>
    /// KuCoin's real API base.
    public static let defaultBaseURL = "https://api.kucoin.com"

    /// 1,500 candles a request; the public pool holds 2,000 weight per 30 s; a klines call weighs 3.
    public static let limits = ExchangeLimits(
        recordsPerRequest: 1_500, pageUnit: .candles, rateLimit: RateLimit(capacity: 2_000, window: .seconds(30)),
        requestWeight: 3, timeUnit: "s")

    /// The configuration in use.
    public let configuration: Configuration
    private let http: HTTPClient

    /// A client over `http`.
    public init(configuration: Configuration = Configuration(), http: HTTPClient = HTTPClient()) {
        self.configuration = configuration
        self.http = http
    }

    public var exchange: ExchangeID { .kucoin }
    public var limits: ExchangeLimits { Self.limits }

    /// `GET /api/v2/symbols`.
    public func symbols() async throws -> [ExchangeSymbol] {
        let url = configuration.baseURL + "/api/v2/symbols"
        return try KuCoinJSON.symbols(try await data(url, weight: 4), url: url)
    }

    /// One `GET /api/v1/market/candles` request: candles opening in [startAt, endAt) (seconds),
    /// oldest first, the still-open one included.
    public func candlePage(symbol: String, interval: KlineInterval, startAt: Int64, endAt: Int64) async throws -> [Kline] {
        let base = configuration.baseURL + "/api/v1/market/candles"
        guard let type = KuCoinJSON.typeName(interval) else {
            throw ExchangeError(exchange: .kucoin, url: base, code: nil, message: "KuCoin has no \(interval.rawValue) candles")
        }
        let step = try ExchangeTime.step(interval, exchange: .kucoin, url: base)
        let url = base + "?type=\(type)&symbol=\(CoinGeckoClient.encode(symbol))&startAt=\(startAt)&endAt=\(endAt)"
        return try KuCoinJSON.candles(try await data(url, weight: Self.limits.requestWeight), url: url, step: step)
    }

    /// Closed candles in [start, end), requested in windows of 1,500 candles.
    @discardableResult
    public func candles(
        symbol: String, interval: KlineInterval, start: Date, end: Date,
        _ body: @Sendable ([Kline]) async throws -> Void
    ) async throws -> Int {
        let step = try ExchangeTime.step(interval, exchange: .kucoin, url: configuration.baseURL + "/api/v1/market/candles")
        return try await ExchangeTime.windows(
            start: start, end: end, now: configuration.now(), step: step, perRequest: Self.limits.recordsPerRequest,
            fetch: { from, to in
                try await candlePage(symbol: symbol, interval: interval, startAt: from / 1_000_000, endAt: to / 1_000_000)
            }, body)
    }

    private func data(_ url: String, weight: Int) async throws -> Any {
        do {
            let response = try await http.get(HTTPRequest(url: url, weight: weight, rateLimit: configuration.rateLimit))
            return try KuCoinJSON.data(response.body, url: url, status: response.status)
        } catch let error as HTTPError {
            if error.body.isEmpty { throw error }
            _ = try KuCoinJSON.data(error.body, url: url, status: error.status)
            throw error
        }
    }
}
